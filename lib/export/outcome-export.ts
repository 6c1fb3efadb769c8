/**
 * The outcome export: one CSV of the dealership's leads with what became of them (status, last
 * reply and its time, opted out, do not contact, wrong number, appointment, follow-up, assigned
 * rep, the campaign that last reached them), for re-import into the CRM the leads came from.
 *
 * The identifying columns (the CRM's own record id first, then name, phone, e-mail, vehicle,
 * salesperson) carry the dealership's own CRM headers: the saved import mapping (header -> our
 * field) read in reverse. One CSV has one
 * header row, so one mapping names the whole file: the one the user picks, by default the
 * dealership's most recently saved one; a field with no mapped header keeps our own name.
 *
 * Same rules as the full export: UTF-8 with BOM, OWASP formula neutralization with the E.164
 * exception (lib/export/csv-cell.ts), streamed end to end (a cursor as the `exporter` role, through
 * private.export_lead_outcomes -> decrypt -> CSV -> response, each stage waiting for the next).
 * The caller must first have recorded the export (recordOutcomeExport: data.export and a recent
 * re-authentication, checked by the database); this module then trusts the dealership id.
 */
import { PassThrough, Readable } from "node:stream";
import { DecryptionError } from "@/lib/crypto/field-cipher";
import { withService, type AccountSession, type UserScope } from "@/lib/db/scope";
import {
  IMPORT_FIELDS,
  PHONE_FIELDS_BY_PREFERENCE,
  type ImportField,
  type ImportMapping,
} from "@/lib/leads/import/import-mapping.schema";
import { decryptLeadPiiPerField, type EncryptedLeadRow, type LeadPii } from "@/lib/leads/lead-fields";
import { LEAD_STATUS_LABELS, type LeadStatus } from "@/lib/leads/lead-status";
import { decryptMessageBody } from "@/lib/sms/message-body";
import { INTENT_LABELS, type Intent } from "@/lib/triage/intents";
import { csvCell, csvLine, UTF8_BOM } from "./csv-cell";
import { writeChunk } from "./write-chunk";

/** Rows fetched per cursor round trip, as the full export. */
const CURSOR_ROWS = 500;

/** A row of private.export_lead_outcomes. */
type OutcomeDbRow = EncryptedLeadRow & {
  status: LeadStatus;
  consent_status: string;
  on_do_not_contact: boolean;
  campaign_suppression: string | null;
  appointment_at: Date | null;
  follow_up_at: Date | null;
  assigned_rep: string | null;
  last_reply_id: string | null;
  last_reply_body_enc: string | null;
  last_reply_at: Date | null;
  last_reply_intent: Intent | null;
  last_campaign: string | null;
  last_campaign_sent_at: Date | null;
};

/** A lead with its outcome, decrypted. */
interface OutcomeRow {
  db: OutcomeDbRow;
  pii: LeadPii;
  lastReply: string | null;
  unreadable: string[];
}

interface OutcomeColumn {
  header: string;
  /** Holds an E.164 number the product validated: left usable, not neutralized. */
  phone?: boolean;
  value(row: OutcomeRow): string | null;
}

/** A saved mapping the user can choose to name the columns (headers are column names, not data). */
export interface SavedMappingChoice {
  id: string;
  updatedAt: Date;
  headers: string[];
}

const yesNo = (b: boolean) => (b ? "yes" : "no");
/** ISO 8601 in UTC to the second: unambiguous for any CRM's importer. */
const isoUtc = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, "Z") : null);
const joined = (...parts: (string | null | undefined)[]) => parts.filter((p) => p).join(" ") || null;

/**
 * The columns of the outcome CSV for a mapping: the identifying ones under the CRM's headers
 * (ours where the mapping has none), then the outcome columns under clear names of our own.
 * Headers are unique (a CRM header equal to one of ours gets " (RefireLeads)" on ours).
 */
export function outcomeColumns(mapping: ImportMapping): OutcomeColumn[] {
  const headerOf = new Map<ImportField, string>();
  for (const [header, field] of Object.entries(mapping)) if (!headerOf.has(field)) headerOf.set(field, header);
  const crm = (field: ImportField) => headerOf.get(field);
  const pii = (field: keyof LeadPii) => (r: OutcomeRow) => r.pii[field] ?? null;

  // First, the CRM's own record id: what its importer matches a row back on.
  const identity: OutcomeColumn[] = [{ header: crm("crmId") ?? "CRM ID", value: pii("crmId") }];
  if (crm("fullName") && !crm("firstName") && !crm("lastName")) {
    identity.push({ header: crm("fullName")!, value: (r) => joined(r.pii.firstName, r.pii.lastName) });
  } else {
    identity.push({ header: crm("firstName") ?? "First name", value: pii("firstName") });
    identity.push({ header: crm("lastName") ?? "Last name", value: pii("lastName") });
  }
  // Leads keep one number (the first valid of the mapped phone columns): it goes back under the
  // header of the preferred phone field the mapping used.
  const phoneField = PHONE_FIELDS_BY_PREFERENCE.find((f) => crm(f));
  identity.push({ header: (phoneField && crm(phoneField)) ?? "Phone", phone: true, value: pii("phone") });
  identity.push({ header: crm("email") ?? "Email", value: pii("email") });
  const vehicleParts = ["vehicleYear", "vehicleMake", "vehicleModel", "vehicleTrim"] as const;
  if (crm("vehicle") && !vehicleParts.some((f) => crm(f))) {
    identity.push({
      header: crm("vehicle")!,
      value: (r) => joined(...vehicleParts.map((f) => r.pii[f])),
    });
  } else {
    for (const f of vehicleParts) if (crm(f)) identity.push({ header: crm(f)!, value: pii(f) });
  }
  if (crm("vehicleVin")) identity.push({ header: crm("vehicleVin")!, value: pii("vehicleVin") });

  const outcome: OutcomeColumn[] = [
    { header: crm("salesperson") ?? "Assigned rep", value: (r) => r.db.assigned_rep },
    { header: "RefireLeads ID", value: (r) => r.db.id },
    { header: "Outcome status", value: (r) => LEAD_STATUS_LABELS[r.db.status] ?? r.db.status },
    { header: "Last reply", value: (r) => r.lastReply },
    { header: "Last reply at (UTC)", value: (r) => isoUtc(r.db.last_reply_at) },
    {
      header: "Last reply intent",
      value: (r) => (r.db.last_reply_intent ? (INTENT_LABELS[r.db.last_reply_intent] ?? r.db.last_reply_intent) : null),
    },
    { header: "Opted out", value: (r) => yesNo(r.db.consent_status === "opted_out") },
    { header: "Do not contact", value: (r) => yesNo(r.db.on_do_not_contact) },
    { header: "Wrong number", value: (r) => yesNo(r.db.campaign_suppression === "wrong_number") },
    { header: "Appointment (UTC)", value: (r) => isoUtc(r.db.appointment_at) },
    { header: "Follow-up (UTC)", value: (r) => isoUtc(r.db.follow_up_at) },
    { header: "Last campaign", value: (r) => r.db.last_campaign },
    { header: "Last campaign sent at (UTC)", value: (r) => isoUtc(r.db.last_campaign_sent_at) },
    { header: "Unreadable fields", value: (r) => (r.unreadable.length ? r.unreadable.join(" ") : null) },
  ];
  const seen = new Set<string>();
  return [...identity, ...outcome].map((c) => {
    let header = c.header;
    while (seen.has(header.toLowerCase())) header = `${header} (RefireLeads)`;
    seen.add(header.toLowerCase());
    return { ...c, header };
  });
}

/** Decrypt a row; a value that will not decrypt becomes empty and is named in "Unreadable fields". */
function decryptOutcome(db: OutcomeDbRow, dealershipId: string): OutcomeRow {
  const { pii, unreadable } = decryptLeadPiiPerField({ ...db, dealership_id: dealershipId });
  let lastReply: string | null = null;
  const failed: string[] = [...unreadable];
  if (db.last_reply_id && db.last_reply_body_enc) {
    try {
      lastReply = decryptMessageBody(db.last_reply_body_enc, dealershipId, db.last_reply_id);
    } catch (err) {
      if (!(err instanceof DecryptionError)) throw err;
      failed.push("lastReply");
    }
  }
  return { db, pii, lastReply, unreadable: failed };
}

/**
 * Record, as the signed-in user, that they export the outcomes, and get the mapping that names
 * the columns (mappingId, or the most recent saved one when null; {} when there is none). The
 * database refuses without data.export or a re-authentication in the last 5 minutes (RL040), and
 * an unknown mapping (RL090), and writes the `data.outcomes_exported` audit row.
 */
export async function recordOutcomeExport(
  { sql, dealershipId }: UserScope,
  mappingId: string | null,
): Promise<ImportMapping> {
  const [row] = await sql<{ result: { mapping: Record<string, unknown> } }[]>`
    select public.record_outcome_export(${dealershipId}, ${mappingId}) as result`;
  return knownFieldsOf(row!.result.mapping);
}

/**
 * The same for the owner of a closed dealership (the /closed page): the database checks the
 * closure's rule instead of data.export (see recordClosedDealershipExport) and writes
 * `data.outcomes_exported` with `closed_account: true`.
 */
export async function recordClosedDealershipOutcomeExport(
  { sql }: AccountSession,
  dealershipId: string,
  mappingId: string | null,
): Promise<ImportMapping> {
  const [row] = await sql<{ result: { mapping: Record<string, unknown> } }[]>`
    select public.record_closed_dealership_outcome_export(${dealershipId}, ${mappingId}) as result`;
  return knownFieldsOf(row!.result.mapping);
}

/** A saved mapping as this version reads it: saved mappings were validated when saved; a field it no longer knows is left out. */
function knownFieldsOf(mapping: Record<string, unknown>): ImportMapping {
  const known = new Set<string>(IMPORT_FIELDS);
  return Object.fromEntries(
    Object.entries(mapping).filter(([, f]) => typeof f === "string" && known.has(f)),
  ) as ImportMapping;
}

/** The dealership's saved mappings, newest first, for choosing the column names (RLS applies). */
export async function listSavedMappings({ sql, dealershipId }: UserScope): Promise<SavedMappingChoice[]> {
  const rows = await sql<{ id: string; updated_at: Date; mapping: Record<string, string> }[]>`
    select id, updated_at, mapping from public.import_mappings
    where dealership_id = ${dealershipId} order by updated_at desc, id desc limit 50`;
  return rows.map((r) => ({ id: r.id, updatedAt: r.updated_at, headers: Object.keys(r.mapping) }));
}

/**
 * Stream the outcome CSV. The returned stream starts at once; the rows are read in one `exporter`
 * transaction while the consumer reads. A failure mid-way destroys the stream (the download ends
 * with an error rather than as a complete-looking but partial file).
 */
export function streamOutcomeExport(
  dealershipId: string,
  mapping: ImportMapping,
  options: { onRows?: (n: number) => void } = {},
): Readable {
  const columns = outcomeColumns(mapping);
  const out = new PassThrough({ highWaterMark: 256 * 1024 });
  withService("exporter", dealershipId, async ({ sql }) => {
    await writeChunk(out, UTF8_BOM + csvLine(columns.map((c) => csvCell(c.header))));
    const cursor = sql<OutcomeDbRow[]>`select * from private.export_lead_outcomes(${dealershipId})`.cursor(CURSOR_ROWS);
    for await (const batch of cursor) {
      let chunk = "";
      for (const db of batch) {
        const row = decryptOutcome(db, dealershipId);
        chunk += csvLine(columns.map((c) => csvCell(c.value(row), c.phone)));
      }
      options.onRows?.(batch.length);
      await writeChunk(out, chunk);
    }
    out.end();
  }).catch((err: unknown) => {
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return out;
}

/** The CSV as a web stream for a Response body. */
export function outcomeExportBody(dealershipId: string, mapping: ImportMapping): ReadableStream<Uint8Array> {
  return Readable.toWeb(streamOutcomeExport(dealershipId, mapping)) as ReadableStream<Uint8Array>;
}
