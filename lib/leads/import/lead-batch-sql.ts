/**
 * The statements of an import batch: look up which phones are already leads (and on the
 * do-not-contact list), insert new leads (COPY into a staging table, then one INSERT … SELECT),
 * and read then fill gaps of known ones, thousands of rows per statement.
 *
 * Leads are found one key at a time, in a form the planner can only run through the unique
 * (dealership_id, phone_bidx) index or the primary key, whatever the table's statistics say. An
 * import's own rows are not in the statistics until it commits, so to the planner a dealership
 * that gains 100,000 leads during its first import still has none; asked for thousands of phones
 * at once (`phone_bidx in (select …)`, or even `= any(array(…))`), it read all the dealership's
 * leads per batch through an index on dealership_id alone (measured: a tenth of the writing
 * connection's time at 100,000 rows, growing with the file). Hence: a LATERAL subquery per phone
 * with `limit 1` (never flattened into a join, so a nested loop of single-key look-ups); the
 * dealership as `(select $1::uuid)`, a value unknown at planning, which the planner sizes as an
 * average dealership rather than as the empty one the statistics saw; and, where rows are then
 * fetched by id, the dealership as `is not distinct from`, a check no index can serve, so the
 * primary key is the only way in. lead-batch-plans.test.ts counts the rows each statement reads.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { UserScope } from "@/lib/db/scope";
import { doNotContactSet } from "@/lib/leads/do-not-contact";
import { CLEARED_LEGACY_COLUMNS, leadPiiColumns, type EncryptedLeadRow } from "@/lib/leads/lead-fields";
import type { ConsentStatus } from "@/lib/leads/lead-status";
import { STAGED_LEAD_COLUMNS } from "./encrypt-task";

/** Leads and do-not-contact entries found for a batch's phones, by phone blind index. */
export interface Known {
  /** Phone blind index → the lead's consent when looked up. */
  known: Map<string, ConsentStatus>;
  dnc: Set<string>;
}

/**
 * `… from` clause of the leads of dealership $1 with the phone blind indexes of JSON array $2, one
 * key at a time (see the module comment), as `l` with `columns`.
 */
const leadsByPhone = (columns: string) =>
  `json_array_elements_text($2::text::json) as k(bidx)
   cross join lateral (
     select ${columns} from public.leads
     where dealership_id = (select $1::uuid) and phone_bidx = k.bidx
     limit 1) l`;

/** Known leads and do-not-contact entries among these phone blind indexes (a read of its own, beside the writing transaction). */
export async function lookupKnown(scope: UserScope, phoneBidxes: readonly string[]): Promise<Known> {
  const { sql, dealershipId } = scope;
  const json = JSON.stringify(phoneBidxes);
  const [, leads, dnc] = await Promise.all([
    // Sent first on the look-up's connection (statements are pipelined in order); see indexPlansOnly.
    indexPlansOnly(scope),
    sql.unsafe<{ phone_bidx: string; consent_status: ConsentStatus }[]>(
      `select l.phone_bidx, l.consent_status from ${leadsByPhone("phone_bidx, consent_status")}`,
      [dealershipId, json],
    ),
    doNotContactSet(scope, phoneBidxes),
  ]);
  return { known: new Map(leads.map((r) => [r.phone_bidx, r.consent_status])), dnc };
}

const STAGE = "pg_temp.lead_import_stage";
const STAGE_COLUMNS = STAGED_LEAD_COLUMNS.map(([name]) => name).join(", ");

/**
 * No sequential scans for the rest of the transaction (unless no index applies). Postgres plans a
 * repeated statement once per connection and then keeps the plan, including the foreign-key
 * checks of triggers; planned while public.leads is still small (a new database, the first batch
 * of a first import), that plan is a sequential scan, which an import that grows the table by up
 * to 250,000 rows then repeats for every batch (the look-ups) and every consented lead (the
 * foreign key of its consent event): measured, 170 s instead of 8 for 100,000 rows. Every
 * statement of the import has an index to use.
 */
function indexPlansOnly({ sql }: UserScope) {
  return sql`select set_config('enable_seqscan', 'off', true)`;
}

/**
 * Prepares the writing transaction: its staging table for new leads, and index plans only (made
 * afresh).
 *
 * The staging table: each batch is COPYed into it, then moved into public.leads by one
 * INSERT … SELECT. COPY is Postgres's cheapest way in, but not into a table with row-level
 * security; the INSERT that follows is checked by leads' policies and triggers like any other. A
 * temporary table (needs TEMP on the database, granted to `authenticated` by migration) with no
 * policies of its own: only this session sees it, and it is dropped when the transaction ends,
 * committed or not.
 */
export async function prepareImportTransaction(scope: UserScope): Promise<void> {
  await indexPlansOnly(scope);
  // Plans this connection kept from before (say, from an import into a still small table) are
  // made again, under the setting above. Affects nothing but this session's plan cache.
  await scope.sql`discard plans`;
  await scope.sql.unsafe(
    `create temp table lead_import_stage (${STAGED_LEAD_COLUMNS.map(([n, t]) => `${n} ${t}`).join(", ")}) on commit drop`,
  );
}

const INSERT_FROM_STAGE = `insert into public.leads (dealership_id, last_import_id, ${STAGE_COLUMNS})
  select $1::uuid, $2::uuid, ${STAGE_COLUMNS} from ${STAGE}`;

/** A staged new lead that was not inserted (its phone became a lead meanwhile): the writer fills that lead with it. */
export interface SkippedLeadRow {
  id: string;
  pii_enc: string | null;
  phone_bidx: string;
  consent_status: ConsentStatus;
  source_id: string | null;
  assigned_to: string | null;
  last_activity_at: Date | null;
}

// COPY data a message at a time: postgres.js copies each into a frame of its own.
const COPY_SLICE_BYTES = 256 * 1024;

/**
 * Inserts a batch of new leads (COPY rows from runEncryptTask) through the staging table, as this
 * import (last_import_id). Returns null when all were inserted, else the staged rows that were
 * not: a phone that became a lead since the look-up (a reply, another import) is skipped, and
 * the caller fills that lead instead.
 *
 * A plain insert first (inside a savepoint): ON CONFLICT costs every row a speculative insertion
 * (measured: about a tenth more Postgres time for the whole import), and a conflict is rare, so
 * only a batch that actually hits one is redone with it.
 */
export async function insertLeads(
  { sql, dealershipId }: UserScope,
  importId: string,
  rows: Uint8Array,
): Promise<SkippedLeadRow[] | null> {
  if (rows.byteLength === 0) return null;
  // The previous batch's rows go (a temporary table's TRUNCATE swaps in an empty file) and this
  // batch's come in by COPY, sent without waiting in between (postgres.js pipelines them).
  const truncated = sql.unsafe(`truncate ${STAGE}`).execute();
  const copy = await sql.unsafe(`copy ${STAGE} (${STAGE_COLUMNS}) from stdin`).writable();
  await truncated;
  const slices = function* () {
    for (let at = 0; at < rows.byteLength; at += COPY_SLICE_BYTES) yield rows.subarray(at, at + COPY_SLICE_BYTES);
  };
  await pipeline(Readable.from(slices()), copy);
  try {
    // postgres.js's savepoint scope: a failure inside it does not fail the whole transaction.
    await sql.savepoint((sp) => sp.unsafe(INSERT_FROM_STAGE, [dealershipId, importId]));
    return null;
  } catch (err) {
    if ((err as { code?: unknown })?.code !== "23505") throw err;
  }
  return sql.unsafe<SkippedLeadRow[]>(
    `with inserted as (${INSERT_FROM_STAGE} on conflict (dealership_id, phone_bidx) do nothing returning id)
     select s.id, s.pii_enc, s.phone_bidx, s.consent_status, s.source_id, s.assigned_to, s.last_activity_at
     from ${STAGE} s where s.id not in (select id from inserted)`,
    [dealershipId, importId],
  );
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
     where id = any(array(
         select l.id from ${leadsByPhone("id")}))
       and dealership_id is not distinct from $1::uuid
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
     where l.id = x.id and l.id = any(array(select (json_array_elements($2::text::json) ->> 'id')::uuid))
       and l.dealership_id is not distinct from $1::uuid`,
    [dealershipId, JSON.stringify(rows), importId],
  );
}

// The consent rules of lead-fill.ts again, against the row as it is now.
const CONSENT_KEEPS = `(x.consent_status is null or l.consent_status = 'opted_out'
  or (x.consent_status = 'opted_in' and l.consent_status <> 'unknown'))`;
