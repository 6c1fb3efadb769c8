/**
 * Read paths for leads, always inside a user-scoped transaction (RLS decides what is visible;
 * the dealership filter only narrows to the active one).
 */
import type { UserTx } from "@/lib/db/with-user";
import { reportLeadDecryptFailures } from "./decrypt-failures";
import { decryptLeadPiiPerField, type LeadDecryptFailure, type LeadPii, type LeadPiiField } from "./lead-fields";
import { sourceLabelOf } from "./lead-sources";

export type LeadStatus = "new" | "engaged" | "appointment_set" | "sold" | "lost" | "opted_out";
export type ConsentStatus = "unknown" | "opted_in" | "opted_out";

export interface LeadSummary {
  id: string;
  pii: LeadPii;
  /** Fields that are stored but would not decrypt (shown as "unreadable"; pii has null there). */
  unreadable: LeadPiiField[];
  status: LeadStatus;
  consentStatus: ConsentStatus;
  sourceId: string | null;
  /** The source's label, decrypted (an opaque id is all that goes in a URL). */
  source: string | null;
  assignedTo: string | null;
  lastActivityAt: Date | null;
}

export interface LeadDetail extends LeadSummary {
  consentSource: string | null;
  consentUpdatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Bumped by the database on every change that matters; edit forms carry it back. */
  version: number;
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

/**
 * The columns a lead summary is built from (PII limited to what lists show), selected from
 * public.leads without an alias; the source's envelope comes along by subquery (RLS applies).
 */
export const LEAD_SUMMARY_COLUMNS = `id, dealership_id, first_name_enc, last_name_enc, phone_enc, email_enc, vehicle_year_enc,
  vehicle_make_enc, vehicle_model_enc, status, consent_status, source_id, assigned_to, last_activity_at,
  (select s.label_enc from public.lead_sources s where s.id = leads.source_id) as source_label_enc,
  (select s.system_key from public.lead_sources s where s.id = leads.source_id) as source_system_key`;

/** A row selected with LEAD_SUMMARY_COLUMNS, decrypted field by field; failures go to `failures`. */
export function toLeadSummary(r: Record<string, unknown>, failures: LeadDecryptFailure[] = []): LeadSummary {
  const decrypted = decryptLeadPiiPerField(r as never);
  failures.push(...decrypted.failures);
  const sourceId = (r.source_id as string | null) ?? null;
  return {
    id: r.id as string,
    pii: decrypted.pii,
    unreadable: decrypted.unreadable,
    status: r.status as LeadStatus,
    consentStatus: r.consent_status as ConsentStatus,
    sourceId,
    source: sourceLabelOf({
      id: sourceId,
      dealership_id: r.dealership_id as string,
      label_enc: (r.source_label_enc as string | null) ?? null,
      system_key: (r.source_system_key as string | null) ?? null,
    }),
    assignedTo: (r.assigned_to as string | null) ?? null,
    lastActivityAt: (r.last_activity_at as Date | null) ?? null,
  };
}

/** Rows selected with LEAD_SUMMARY_COLUMNS as summaries; fields that would not decrypt are reported. */
export async function toLeadSummaries(tx: UserTx, rows: readonly Record<string, unknown>[]): Promise<LeadSummary[]> {
  const failures: LeadDecryptFailure[] = [];
  const leads = rows.map((r) => toLeadSummary(r, failures));
  if (failures.length > 0) await reportLeadDecryptFailures(tx, failures);
  return leads;
}

/** One page of leads, most recently active first. */
export async function listLeads(tx: UserTx, dealershipId: string, opts: { limit: number; offset: number }): Promise<LeadSummary[]> {
  const rows = await tx`
    select ${tx.unsafe(LEAD_SUMMARY_COLUMNS)} from public.leads
    where dealership_id = ${dealershipId}
    order by last_activity_at desc nulls last, id
    limit ${opts.limit} offset ${opts.offset}`;
  return toLeadSummaries(tx, rows);
}

/** The columns of a lead's full record (every column the API roles may read). */
const LEAD_DETAIL_COLUMNS = `${LEAD_SUMMARY_COLUMNS}, vehicle_trim_enc, vehicle_vin_enc, notes_enc, consent_source, consent_updated_at,
  created_at, updated_at, version`;

/** One lead of the dealership, or null when it does not exist or the user may not see it. */
export async function getLead(tx: UserTx, dealershipId: string, leadId: string): Promise<LeadDetail | null> {
  const [r] = await tx`select ${tx.unsafe(LEAD_DETAIL_COLUMNS)} from public.leads where dealership_id = ${dealershipId} and id = ${leadId}`;
  if (!r) return null;
  const [summary] = await toLeadSummaries(tx, [r]);
  return {
    ...summary!,
    consentSource: r.consent_source,
    consentUpdatedAt: r.consent_updated_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}
