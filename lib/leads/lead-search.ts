/**
 * The leads workspace's reads: a filtered, server-paginated page, and exact-match search by phone,
 * e-mail or full name through the blind indexes (the database never sees the plaintext).
 */
import type { CountryCode } from "libphonenumber-js";
import { blindIndex, normalizeEmail, normalizeNameForIndex } from "@/lib/crypto/blind-index";
import type { UserScope } from "@/lib/db/scope";
import type { LeadFilters } from "./lead-filters.schema";
import { LEAD_SUMMARY_COLUMNS, toLeadSummaries, type LeadSummary, type LeadSummaryRow } from "./lead-queries";
import { normalizePhone } from "./phone";

/** One page of the scope's leads matching the filters ("me" is the scope's user), and the total count. */
export async function findLeadsPage(
  scope: UserScope,
  filters: LeadFilters,
  pageSize: number,
): Promise<{ leads: LeadSummary[]; total: number }> {
  const { sql, dealershipId } = scope;
  const assigned =
    filters.assigned === "me"
      ? scope.actor.userId
      : filters.assigned === "none"
        ? null
        : (filters.assigned ?? undefined);
  const where = sql`
    dealership_id = ${dealershipId}
    ${filters.status ? sql`and status = ${filters.status}` : sql``}
    ${filters.consent ? sql`and consent_status = ${filters.consent}` : sql``}
    ${filters.source ? sql`and source_id = ${filters.source}` : sql``}
    ${assigned === null ? sql`and assigned_to is null` : assigned ? sql`and assigned_to = ${assigned}` : sql``}`;
  const order =
    filters.sort === "activity_asc"
      ? sql`last_activity_at asc nulls first, id`
      : sql`last_activity_at desc nulls last, id`;
  const [rows, [count]] = await Promise.all([
    sql<LeadSummaryRow[]>`select ${sql.unsafe(LEAD_SUMMARY_COLUMNS)} from public.leads where ${where} order by ${order}
       limit ${pageSize} offset ${(filters.page - 1) * pageSize}`,
    sql<{ n: number }[]>`select count(*)::int as n from public.leads where ${where}`,
  ]);
  return { leads: await toLeadSummaries(scope, rows), total: count?.n ?? 0 };
}

/** Which blind index a search term targets, or null when it is none of phone, e-mail, name. */
export function searchIndexFor(
  term: string,
  dealershipId: string,
  region: CountryCode,
): { column: "phone_bidx" | "email_bidx" | "full_name_bidx"; value: string } | null {
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

/** Leads whose phone, e-mail or full name equals the term exactly (RLS still applies; phones in the scope's region). */
export async function searchLeads(scope: UserScope, term: string): Promise<LeadSummary[]> {
  const { sql, dealershipId } = scope;
  const index = searchIndexFor(term, dealershipId, scope.region);
  if (!index) return [];
  const rows = await sql<LeadSummaryRow[]>`select ${sql.unsafe(LEAD_SUMMARY_COLUMNS)} from public.leads
    where dealership_id = ${dealershipId} and ${sql(index.column)} = ${index.value}
    order by last_activity_at desc nulls last limit 50`;
  return toLeadSummaries(scope, rows);
}
