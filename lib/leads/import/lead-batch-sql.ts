/**
 * The statements of an import batch: look up which phones are already leads (and on the
 * do-not-contact list), insert new leads, and read then fill gaps of known ones, thousands of
 * rows per statement through json_to_recordset.
 */
import type { UserScope } from "@/lib/db/scope";
import { doNotContactSet } from "@/lib/leads/do-not-contact";
import { CLEARED_LEGACY_COLUMNS, leadPiiColumns, type EncryptedLeadRow } from "@/lib/leads/lead-fields";
import type { ConsentStatus } from "@/lib/leads/lead-status";

/** Leads and do-not-contact entries found for a batch's phones, by phone blind index. */
export interface Known {
  /** Phone blind index → the lead's consent when looked up. */
  known: Map<string, ConsentStatus>;
  dnc: Set<string>;
}

/** Known leads and do-not-contact entries among these phone blind indexes (a read of its own, beside the writing transaction). */
export async function lookupKnown(scope: UserScope, phoneBidxes: readonly string[]): Promise<Known> {
  const { sql, dealershipId } = scope;
  const json = JSON.stringify(phoneBidxes);
  const [leads, dnc] = await Promise.all([
    sql<{ phone_bidx: string; consent_status: ConsentStatus }[]>`
      select phone_bidx, consent_status from public.leads
      where dealership_id = ${dealershipId} and phone_bidx in (select json_array_elements_text(${json}::text::json))`,
    doNotContactSet(scope, phoneBidxes),
  ]);
  return { known: new Map(leads.map((r) => [r.phone_bidx, r.consent_status])), dnc };
}

const INSERT_LEADS = `insert into public.leads (id, dealership_id, pii_enc, phone_bidx, email_bidx, full_name_bidx, status,
    consent_status, consent_source, consent_updated_at, source_id, assigned_to, last_activity_at, last_import_id)
  select x.id, $1::uuid, x.pii_enc, x.phone_bidx, x.email_bidx, x.full_name_bidx,
    x.status, x.consent_status, x.consent_source, x.consent_updated_at, x.source_id, x.assigned_to, x.last_activity_at, $3::uuid
  from json_to_recordset($2::text::json) as x(id uuid, pii_enc text, phone_bidx text, email_bidx text, full_name_bidx text,
    status public.lead_status, consent_status public.consent_status, consent_source text, consent_updated_at timestamptz,
    source_id uuid, assigned_to uuid, last_activity_at timestamptz)`;

/**
 * Inserts new leads from the JSON arrays the encryption step built. Returns null when all were
 * inserted, else the phone blind indexes that were: a phone that became a lead since the look-up
 * (a reply, another import) is skipped, and the caller fills that lead instead.
 *
 * A plain insert first (inside a savepoint): ON CONFLICT costs every row a speculative insertion
 * (about half again the time of the insert itself), and a conflict is rare, so only a batch that
 * actually hits one is redone with it.
 */
export async function insertLeads(
  { sql, dealershipId }: UserScope,
  importId: string,
  insertPieces: readonly Uint8Array[],
): Promise<Set<string> | null> {
  const pieces = insertPieces.filter((p) => p.byteLength > 2); // "[]" inserts nothing
  if (pieces.length === 0) return null;
  // Made a string only as each statement is sent: short-lived, so the heap does not pile them up.
  const text = (piece: Uint8Array) => Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength).toString("latin1");
  try {
    // The pieces' statements are sent together (pipelined on the transaction's connection).
    await sql.savepoint((sp) =>
      Promise.all(pieces.map((piece) => sp.unsafe(INSERT_LEADS, [dealershipId, text(piece), importId]))),
    );
    return null;
  } catch (err) {
    if ((err as { code?: unknown })?.code !== "23505") throw err;
  }
  const inserted = await Promise.all(
    pieces.map((piece) =>
      sql.unsafe<{ phone_bidx: string }[]>(
        `${INSERT_LEADS} on conflict (dealership_id, phone_bidx) do nothing returning phone_bidx`,
        [dealershipId, text(piece), importId],
      ),
    ),
  );
  return new Set(inserted.flat().map((r) => r.phone_bidx));
}

/** A lead as the fill step reads it, locked, in the writing transaction (which sees this import's own writes). */
export type FillTargetRow = EncryptedLeadRow & {
  phone_bidx: string;
  consent_status: ConsentStatus;
  last_activity_at: Date | null;
  source_id: string | null;
  assigned_to: string | null;
};

/** The leads with these phone blind indexes, locked for the fill. */
export async function readFillTargets(
  { sql, dealershipId }: UserScope,
  phoneBidxes: readonly string[],
): Promise<FillTargetRow[]> {
  return sql.unsafe<FillTargetRow[]>(
    `select id, dealership_id, phone_bidx, consent_status, last_activity_at, source_id, assigned_to, ${leadPiiColumns()}
     from public.leads
     where dealership_id = $1::uuid and phone_bidx in (select json_array_elements_text($2::text::json))
     order by id
     for update`,
    [dealershipId, JSON.stringify(phoneBidxes)],
  );
}

/** One lead's fill: a new record (null = personal fields unchanged) and the other columns to fill (null = leave). */
export interface FillRow {
  id: string;
  pii_enc: string | null;
  email_bidx: string | null;
  full_name_bidx: string | null;
  source_id: string | null;
  assigned_to: string | null;
  last_activity_at: string | null;
  consent_status: ConsentStatus | null;
  consent_source: string | null;
  consent_updated_at: string | null;
}

const LEGACY_CLEARED = Object.keys(CLEARED_LEGACY_COLUMNS)
  .map((c) => `${c} = case when x.pii_enc is null then l.${c} end`)
  .join(", ");

/**
 * Writes the fills of leads read (and locked) by readFillTargets in this transaction. A new record
 * replaces the lead's personal data whole and clears the legacy per-field columns.
 */
export async function updateFills(
  { sql, dealershipId }: UserScope,
  importId: string,
  rows: readonly FillRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql.unsafe(
    // coalesce on the rest: the fills were planned against the locked rows, so this only restates "fill, never overwrite".
    `update public.leads l set
       last_import_id = $3::uuid,
       pii_enc = coalesce(x.pii_enc, l.pii_enc), ${LEGACY_CLEARED},
       email_bidx = coalesce(x.email_bidx, l.email_bidx),
       full_name_bidx = coalesce(x.full_name_bidx, l.full_name_bidx),
       source_id = coalesce(l.source_id, x.source_id),
       assigned_to = coalesce(l.assigned_to, x.assigned_to),
       last_activity_at = greatest(l.last_activity_at, x.last_activity_at),
       consent_status = case when ${CONSENT_KEEPS} then l.consent_status else x.consent_status end,
       consent_source = case when ${CONSENT_KEEPS} then l.consent_source else x.consent_source end,
       consent_updated_at = case when ${CONSENT_KEEPS} then l.consent_updated_at else x.consent_updated_at end
     from json_to_recordset($2::text::json) as x(id uuid, pii_enc text, email_bidx text, full_name_bidx text, source_id uuid,
       assigned_to uuid, last_activity_at timestamptz, consent_status public.consent_status, consent_source text,
       consent_updated_at timestamptz)
     where l.dealership_id = $1::uuid and l.id = x.id`,
    [dealershipId, JSON.stringify(rows), importId],
  );
}

// The consent rules of lead-fill.ts again, against the row as it is now.
const CONSENT_KEEPS = `(x.consent_status is null or l.consent_status = 'opted_out'
  or (x.consent_status = 'opted_in' and l.consent_status <> 'unknown'))`;
