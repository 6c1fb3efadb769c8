/**
 * The audit log, read by owners and admins. Nobody appends to it directly: each row is written by
 * the database operation it describes (triggers on leads, do_not_contact, sending_numbers and
 * lead_imports; definer functions such as record_dealership_switch and reconsent_lead), with the
 * actor taken from the verified JWT. Metadata never contains personal data.
 */
import type { UserScope } from "@/lib/db/scope";

export interface AuditEvent {
  id: string;
  action: string;
  actorEmail: string | null;
  targetType: string | null;
  targetId: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

/** Record that the current user switched to the scope's dealership (the database checks both memberships). */
export async function recordDealershipSwitch({ sql, dealershipId }: UserScope, from: string | null): Promise<void> {
  await sql`select public.record_dealership_switch(${dealershipId}, ${from})`;
}

/** The newest audit events of a dealership (RLS: owners and admins only). */
export async function listAuditEvents({ sql, dealershipId }: UserScope, limit = 100): Promise<AuditEvent[]> {
  const [events, members] = await Promise.all([
    sql`select id, actor_user_id, action, target_type, target_id, metadata, created_at
       from public.audit_events where dealership_id = ${dealershipId}
       order by created_at desc, id desc limit ${limit}`,
    sql`select user_id, email from public.dealership_members(${dealershipId})`,
  ]);
  const emailById = new Map(members.map((m) => [m.user_id as string, m.email as string]));
  return events.map((e) => ({
    id: String(e.id),
    action: e.action,
    // Operators are no members: their support and console actions name them as such.
    actorEmail: e.actor_user_id
      ? (emailById.get(e.actor_user_id) ??
        (/^(support|platform)\./.test(e.action) ? "platform operator" : "former member"))
      : null,
    targetType: e.target_type,
    targetId: e.target_id,
    metadata: e.metadata,
    createdAt: e.created_at,
  }));
}
