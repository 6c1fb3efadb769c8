/**
 * A cheap fingerprint of what the inbox shows, for polling: the browser asks for it every few
 * seconds and re-renders the page only when it changed. Conversations change on every message
 * and read; a thread also changes with each delivery status and with its lead (status, consent).
 */
import type { UserScope } from "@/lib/db/scope";

/** The fingerprint of the conversation list and, when given, one lead's thread; null if that lead is not visible. */
export async function inboxVersion({ sql, dealershipId }: UserScope, leadId?: string): Promise<string | null> {
  const [list] = await sql<{ n: number; at: Date }[]>`
    select count(*)::int as n, coalesce(max(updated_at), 'epoch') as at
    from public.conversations where dealership_id = ${dealershipId}`;
  let thread = "";
  if (leadId) {
    const [lead] = await sql<{ updated_at: Date; n: number; at: Date }[]>`
      select l.updated_at, m.n, m.at from public.leads l,
        lateral (select count(*)::int as n, coalesce(max(status_updated_at), 'epoch') as at
                 from public.messages where dealership_id = ${dealershipId} and lead_id = l.id) m
      where l.dealership_id = ${dealershipId} and l.id = ${leadId}`;
    if (!lead) return null;
    thread = `|${new Date(lead.updated_at).getTime()}.${lead.n}.${new Date(lead.at).getTime()}`;
  }
  return `${list!.n}.${new Date(list!.at).getTime()}${thread}`;
}
