/**
 * The statements of an import batch: look up which phones are already leads (and on the
 * do-not-contact list), insert new leads and fill gaps of known ones, thousands of rows per
 * statement through json_to_recordset.
 */
import type { UserScope } from "@/lib/db/scope";
import { doNotContactSet } from "@/lib/leads/do-not-contact";
import type { ConsentStatus } from "@/lib/leads/lead-status";
import type { LeadState } from "./lead-fill";

/** An update row: the lead id plus the columns to fill (null = leave as is). */
export type LeadRow = Record<string, string | Date | null>;

/** Leads and do-not-contact entries found for a batch's phones, by phone blind index. */
export interface Known {
  known: Map<string, LeadState>;
  dnc: Set<string>;
}

const PII_COLUMNS = [
  "first_name_enc",
  "last_name_enc",
  "phone_enc",
  "email_enc",
  "vehicle_year_enc",
  "vehicle_make_enc",
  "vehicle_model_enc",
  "vehicle_trim_enc",
  "vehicle_vin_enc",
  "notes_enc",
] as const;
// The shape of a batch's JSON records; columns are matched by name.
const RECORD_TYPE = `id uuid, ${PII_COLUMNS.map((c) => `${c} text`).join(", ")}, phone_bidx text, email_bidx text, full_name_bidx text,
  status public.lead_status, consent_status public.consent_status, consent_source text, consent_updated_at timestamptz,
  source_id uuid, assigned_to uuid, last_activity_at timestamptz`;

interface KnownLeadRow {
  id: string;
  phone_bidx: string;
  consent_status: ConsentStatus;
  last_activity_at: Date | null;
  has_name: boolean;
  has_phone: boolean;
  has_email: boolean;
  has_vehicle: boolean;
  has_notes: boolean;
  has_source: boolean;
  has_assignee: boolean;
}

/** Known leads and do-not-contact entries among these phone blind indexes. */
export async function lookupKnown(scope: UserScope, phoneBidxes: readonly string[]): Promise<Known> {
  const { sql, dealershipId } = scope;
  const json = JSON.stringify(phoneBidxes);
  const [leads, dnc] = await Promise.all([
    sql<KnownLeadRow[]>`
      select id, phone_bidx, consent_status, last_activity_at,
        (first_name_enc is not null or last_name_enc is not null) as has_name,
        phone_enc is not null as has_phone,
        email_enc is not null as has_email,
        (vehicle_year_enc is not null or vehicle_make_enc is not null or vehicle_model_enc is not null
          or vehicle_trim_enc is not null or vehicle_vin_enc is not null) as has_vehicle,
        notes_enc is not null as has_notes,
        source_id is not null as has_source,
        assigned_to is not null as has_assignee
      from public.leads
      where dealership_id = ${dealershipId} and phone_bidx in (select json_array_elements_text(${json}::text::json))`,
    doNotContactSet(scope, phoneBidxes),
  ]);
  const known = new Map<string, LeadState>();
  for (const r of leads) {
    known.set(r.phone_bidx, {
      id: r.id,
      consent: r.consent_status,
      lastActivityAt: r.last_activity_at,
      hasName: r.has_name,
      hasPhone: r.has_phone,
      hasEmail: r.has_email,
      hasVehicle: r.has_vehicle,
      hasNotes: r.has_notes,
      hasSource: r.has_source,
      hasAssignee: r.has_assignee,
    });
  }
  return { known, dnc };
}

/** One batch: a multi-row insert (returns the ids actually inserted) and a multi-row fill. */
export async function writeBatch(
  { sql, dealershipId }: UserScope,
  insertJson: string,
  updates: LeadRow[],
): Promise<Set<string>> {
  const [inserted] = await Promise.all([
    insertJson === "" || insertJson === "[]"
      ? Promise.resolve([])
      : sql.unsafe<{ id: string }[]>(
          `insert into public.leads (id, dealership_id, ${PII_COLUMNS.join(", ")}, phone_bidx, email_bidx, full_name_bidx, status,
             consent_status, consent_source, consent_updated_at, source_id, assigned_to, last_activity_at)
           select x.id, $1::uuid, ${PII_COLUMNS.map((c) => `x.${c}`).join(", ")}, x.phone_bidx, x.email_bidx, x.full_name_bidx,
             x.status, x.consent_status, x.consent_source, x.consent_updated_at, x.source_id, x.assigned_to, x.last_activity_at
           from json_to_recordset($2::text::json) as x(${RECORD_TYPE})
           on conflict (dealership_id, phone_bidx) do nothing
           returning id`,
          [dealershipId, insertJson],
        ),
    updates.length === 0
      ? Promise.resolve([])
      : sql.unsafe(
          // coalesce everywhere: a value that appeared since the lookup is never overwritten.
          `update public.leads l set
             ${PII_COLUMNS.map((c) => `${c} = coalesce(l.${c}, x.${c})`).join(", ")},
             email_bidx = case when l.email_enc is null then coalesce(x.email_bidx, l.email_bidx) else l.email_bidx end,
             full_name_bidx = case when l.first_name_enc is null and l.last_name_enc is null
                                   then coalesce(x.full_name_bidx, l.full_name_bidx) else l.full_name_bidx end,
             source_id = coalesce(l.source_id, x.source_id),
             assigned_to = coalesce(l.assigned_to, x.assigned_to),
             last_activity_at = greatest(l.last_activity_at, x.last_activity_at),
             consent_status = case when ${CONSENT_KEEPS} then l.consent_status else x.consent_status end,
             consent_source = case when ${CONSENT_KEEPS} then l.consent_source else x.consent_source end,
             consent_updated_at = case when ${CONSENT_KEEPS} then l.consent_updated_at else x.consent_updated_at end
           from json_to_recordset($2::text::json) as x(${RECORD_TYPE})
           where l.dealership_id = $1::uuid and l.id = x.id`,
          [dealershipId, JSON.stringify(updates)],
        ),
  ]);
  return new Set(inserted.map((r) => r.id));
}

// The consent rules of lead-fill.ts again, against the row as it is now (a STOP may have landed).
const CONSENT_KEEPS = `(x.consent_status is null or l.consent_status = 'opted_out'
  or (x.consent_status = 'opted_in' and l.consent_status <> 'unknown'))`;
