/**
 * A lead's consent history, written by a trigger on every consent change (import, edit, STOP /
 * START replies); read where the lead itself is visible.
 */
import type { ReadScope } from "@/lib/db/scope";
import type { ConsentStatus } from "./lead-status";

export interface ConsentEvent {
  status: ConsentStatus;
  source: string | null;
  actorUserId: string | null;
  createdAt: Date;
}

/** The lead's consent changes, newest first. */
export async function listConsentEvents({ sql, dealershipId }: ReadScope, leadId: string): Promise<ConsentEvent[]> {
  const rows = await sql<
    { status: ConsentStatus; source: string | null; actor_user_id: string | null; created_at: Date }[]
  >`
    select status, source, actor_user_id, created_at from public.consent_events
    where dealership_id = ${dealershipId} and lead_id = ${leadId}
    order by created_at desc, id desc`;
  return rows.map((r) => ({
    status: r.status,
    source: r.source,
    actorUserId: r.actor_user_id,
    createdAt: r.created_at,
  }));
}
