/**
 * The leads workspace's reads: a filtered, server-paginated page, and exact-match search by phone,
 * e-mail or full name through the blind indexes (the database never sees the plaintext).
 */
import type { CountryCode } from "libphonenumber-js";
import { blindIndex, normalizeEmail, normalizeNameForIndex } from "@/lib/crypto/blind-index";
import type { UserTx } from "@/lib/db/with-user";
import type { LeadFilters } from "./lead-filters.schema";
import { LEAD_SUMMARY_COLUMNS, toLeadSummaries, type LeadSummary } from "./lead-queries";
import { normalizePhone } from "./phone";

/** One page of the dealership's leads matching the filters, and the total count. */
export async function findLeadsPage(
  tx: UserTx,
  dealershipId: string,
  userId: string,
  filters: LeadFilters,
  pageSize: number,
): Promise<{ leads: LeadSummary[]; total: number }> {
  const assigned =
    filters.assigned === "me" ? userId : filters.assigned === "none" ? null : (filters.assigned ?? undefined);
  const where = tx`
    dealership_id = ${dealershipId}
    ${filters.status ? tx`and status = ${filters.status}` : tx``}
    ${filters.consent ? tx`and consent_status = ${filters.consent}` : tx``}
    ${filters.source ? tx`and source_id = ${filters.source}` : tx``}
    ${assigned === null ? tx`and assigned_to is null` : assigned ? tx`and assigned_to = ${assigned}` : tx``}`;
  const order = filters.sort === "activity_asc" ? tx`last_activity_at asc nulls first, id` : tx`last_activity_at desc nulls last, id`;
  const [rows, [count]] = await Promise.all([
    tx`select ${tx.unsafe(LEAD_SUMMARY_COLUMNS)} from public.leads where ${where} order by ${order}
       limit ${pageSize} offset ${(filters.page - 1) * pageSize}`,
    tx<{ n: number }[]>`select count(*)::int as n from public.leads where ${where}`,
  ]);
  return { leads: await toLeadSummaries(tx, rows), total: count?.n ?? 0 };
}

/** Which blind index a search term targets, or null when it is none of phone, e-mail, name. */
export function searchIndexFor(term: string, dealershipId: string, region: CountryCode): { column: "phone_bidx" | "email_bidx" | "full_name_bidx"; value: string } | null {
  const trimmed = term.trim();
  if (!trimmed) return null;
  if (trimmed.includes("@")) {
    const email = normalizeEmail(trimmed);
    return email ? { column: "email_bidx", value: blindIndex("email", email, dealershipId) } : null;
  }
  if (/^[\d\s()+.-]+$/.test(trimmed)) {
    const phone = normalizePhone(trimmed, region);
    return phone.ok ? { column: "phone_bidx", value: blindIndex("phone", phone.e164, dealershipId) } : null;
  }
  const [first = "", ...rest] = trimmed.split(/\s+/);
  const name = normalizeNameForIndex(first, rest.join(" "));
  return name ? { column: "full_name_bidx", value: blindIndex("name", name, dealershipId) } : null;
}

/** Leads whose phone, e-mail or full name equals the term exactly (RLS still applies). */
export async function searchLeads(tx: UserTx, dealershipId: string, term: string, region: CountryCode): Promise<LeadSummary[]> {
  const index = searchIndexFor(term, dealershipId, region);
  if (!index) return [];
  const rows = await tx`select ${tx.unsafe(LEAD_SUMMARY_COLUMNS)} from public.leads
    where dealership_id = ${dealershipId} and ${tx(index.column)} = ${index.value}
    order by last_activity_at desc nulls last limit 50`;
  return toLeadSummaries(tx, rows);
}
