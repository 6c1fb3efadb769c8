/**
 * Read paths for leads, always inside a person's scope: a member's, or an operator's under a
 * support grant (RLS decides what is visible; the dealership filter only narrows to the scope's
 * dealership).
 */
import type { ReadScope, UserScope } from "@/lib/db/scope";
import { reportLeadDecryptFailures } from "./decrypt-failures";
import {
  decryptLeadPiiPerField,
  type LeadDecryptFailure,
  type LegacyLeadColumns,
  type LeadPii,
  type LeadPiiField,
} from "./lead-fields";
import { sourceLabelOf } from "./lead-sources";
import { LEAD_STATUSES, type ConsentStatus, type LeadStatus } from "./lead-status";

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
export async function countLeadsByStatus({
  sql,
  dealershipId,
}: UserScope): Promise<Record<LeadStatus, number> & { total: number }> {
  const rows = await sql<{ status: LeadStatus; n: number }[]>`
    select status, count(*)::int as n from public.leads where dealership_id = ${dealershipId} group by status`;
  const counts = { ...(Object.fromEntries(LEAD_STATUSES.map((s) => [s, 0])) as Record<LeadStatus, number>), total: 0 };
  for (const r of rows) {
    counts[r.status] = r.n;
    counts.total += r.n;
  }
  return counts;
}

/**
 * The columns a lead summary is built from, selected from public.leads without an alias: the
 * record envelope (or, for rows not converted yet, the legacy columns lists show); the source's
 * envelope comes along by subquery (RLS applies).
 */
export const LEAD_SUMMARY_COLUMNS = `id, dealership_id, pii_enc, first_name_enc, last_name_enc, phone_enc, email_enc, vehicle_year_enc,
  vehicle_make_enc, vehicle_model_enc, status, consent_status, source_id, assigned_to, last_activity_at,
  (select s.label_enc from public.lead_sources s where s.id = leads.source_id) as source_label_enc,
  (select s.system_key from public.lead_sources s where s.id = leads.source_id) as source_system_key`;

/** A row selected with LEAD_SUMMARY_COLUMNS. */
export type LeadSummaryRow = Pick<
  LegacyLeadColumns,
  | "first_name_enc"
  | "last_name_enc"
  | "phone_enc"
  | "email_enc"
  | "vehicle_year_enc"
  | "vehicle_make_enc"
  | "vehicle_model_enc"
> & {
  id: string;
  dealership_id: string;
  pii_enc: string | null;
  status: LeadStatus;
  consent_status: ConsentStatus;
  source_id: string | null;
  assigned_to: string | null;
  last_activity_at: Date | null;
  source_label_enc: string | null;
  source_system_key: string | null;
};

/** A row selected with LEAD_SUMMARY_COLUMNS, decrypted (per record, or per field for legacy rows); failures go to `failures`. */
function toLeadSummary(r: LeadSummaryRow, failures: LeadDecryptFailure[]): LeadSummary {
  const decrypted = decryptLeadPiiPerField(r);
  failures.push(...decrypted.failures);
  return {
    id: r.id,
    pii: decrypted.pii,
    unreadable: decrypted.unreadable,
    status: r.status,
    consentStatus: r.consent_status,
    sourceId: r.source_id,
    source: sourceLabelOf({
      id: r.source_id,
      dealership_id: r.dealership_id,
      label_enc: r.source_label_enc,
      system_key: r.source_system_key,
    }),
    assignedTo: r.assigned_to,
    lastActivityAt: r.last_activity_at,
  };
}

/** Rows selected with LEAD_SUMMARY_COLUMNS as summaries; fields that would not decrypt are reported. */
export async function toLeadSummaries(scope: ReadScope, rows: readonly LeadSummaryRow[]): Promise<LeadSummary[]> {
  const failures: LeadDecryptFailure[] = [];
  const leads = rows.map((r) => toLeadSummary(r, failures));
  if (failures.length > 0) await reportLeadDecryptFailures(scope, failures);
  return leads;
}

/** One page of leads, most recently active first. */
export async function listLeads(scope: ReadScope, opts: { limit: number; offset: number }): Promise<LeadSummary[]> {
  const { sql, dealershipId } = scope;
  const rows = await sql<LeadSummaryRow[]>`
    select ${sql.unsafe(LEAD_SUMMARY_COLUMNS)} from public.leads
    where dealership_id = ${dealershipId}
    order by last_activity_at desc nulls last, id
    limit ${opts.limit} offset ${opts.offset}`;
  return toLeadSummaries(scope, rows);
}

/** The columns of a lead's full record (every column the API roles may read). */
const LEAD_DETAIL_COLUMNS = `${LEAD_SUMMARY_COLUMNS}, vehicle_trim_enc, vehicle_vin_enc, notes_enc, consent_source, consent_updated_at,
  created_at, updated_at, version`;

type LeadDetailRow = LeadSummaryRow &
  Pick<LegacyLeadColumns, "vehicle_trim_enc" | "vehicle_vin_enc" | "notes_enc"> & {
    consent_source: string | null;
    consent_updated_at: Date | null;
    created_at: Date;
    updated_at: Date;
    version: number;
  };

/** One lead of the scope's dealership, or null when it does not exist or the user may not see it. */
export async function getLead(scope: ReadScope, leadId: string): Promise<LeadDetail | null> {
  const { sql, dealershipId } = scope;
  const [r] = await sql<
    LeadDetailRow[]
  >`select ${sql.unsafe(LEAD_DETAIL_COLUMNS)} from public.leads where dealership_id = ${dealershipId} and id = ${leadId}`;
  if (!r) return null;
  const [summary] = await toLeadSummaries(scope, [r]);
  return {
    ...summary!,
    consentSource: r.consent_source,
    consentUpdatedAt: r.consent_updated_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}
