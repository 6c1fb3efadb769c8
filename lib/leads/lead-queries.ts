/**
 * Read paths for leads, always inside a user-scoped transaction (RLS decides what is visible;
 * the dealership filter only narrows to the active one).
 */
import type { UserTx } from "@/lib/db/with-user";
import { decryptLeadPii, type LeadPii } from "./lead-fields";

export type LeadStatus = "new" | "engaged" | "appointment_set" | "sold" | "lost" | "opted_out";
export type ConsentStatus = "unknown" | "opted_in" | "opted_out";

export interface LeadSummary {
  id: string;
  pii: LeadPii;
  status: LeadStatus;
  consentStatus: ConsentStatus;
  source: string | null;
  assignedTo: string | null;
  lastActivityAt: Date | null;
}

export interface LeadDetail extends LeadSummary {
  consentSource: string | null;
  consentUpdatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Lead counts per status in the dealership, as the user is allowed to see them. */
export async function countLeadsByStatus(tx: UserTx, dealershipId: string): Promise<Record<LeadStatus, number> & { total: number }> {
  const rows = await tx<{ status: LeadStatus; n: number }[]>`
    select status, count(*)::int as n from public.leads where dealership_id = ${dealershipId} group by status`;
  const counts = { new: 0, engaged: 0, appointment_set: 0, sold: 0, lost: 0, opted_out: 0, total: 0 };
  for (const r of rows) {
    counts[r.status] = r.n;
    counts.total += r.n;
  }
  return counts;
}

/** The columns a lead summary is built from (PII limited to what lists show). */
export const LEAD_SUMMARY_COLUMNS = `id, dealership_id, first_name_enc, last_name_enc, phone_enc, email_enc, vehicle_year_enc,
  vehicle_make_enc, vehicle_model_enc, status, consent_status, source, assigned_to, last_activity_at`;

/** A row selected with LEAD_SUMMARY_COLUMNS, decrypted. */
export function toLeadSummary(r: Record<string, unknown>): LeadSummary {
  return {
    id: r.id as string,
    pii: decryptLeadPii(r as never),
    status: r.status as LeadStatus,
    consentStatus: r.consent_status as ConsentStatus,
    source: (r.source as string | null) ?? null,
    assignedTo: (r.assigned_to as string | null) ?? null,
    lastActivityAt: (r.last_activity_at as Date | null) ?? null,
  };
}

/** One page of leads, most recently active first. */
export async function listLeads(tx: UserTx, dealershipId: string, opts: { limit: number; offset: number }): Promise<LeadSummary[]> {
  const rows = await tx`
    select ${tx.unsafe(LEAD_SUMMARY_COLUMNS)} from public.leads
    where dealership_id = ${dealershipId}
    order by last_activity_at desc nulls last, id
    limit ${opts.limit} offset ${opts.offset}`;
  return rows.map(toLeadSummary);
}

/** One lead of the dealership, or null when it does not exist or the user may not see it. */
export async function getLead(tx: UserTx, dealershipId: string, leadId: string): Promise<LeadDetail | null> {
  const [r] = await tx`select * from public.leads where dealership_id = ${dealershipId} and id = ${leadId}`;
  if (!r) return null;
  return {
    id: r.id,
    pii: decryptLeadPii(r as never),
    status: r.status,
    consentStatus: r.consent_status,
    consentSource: r.consent_source,
    consentUpdatedAt: r.consent_updated_at,
    source: r.source,
    assignedTo: r.assigned_to,
    lastActivityAt: r.last_activity_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
