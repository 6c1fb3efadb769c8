/**
 * The writing half of an import, inside the caller's transaction, as a pipeline over batches of
 * rows pulled from the file as it is read: validate (this thread, in slices) → look up known
 * phones (a separate read transaction, so it never waits behind a write) → encrypt new leads
 * (worker threads) → one multi-row insert per batch, then the fills of known leads. While
 * Postgres writes batch n, the threads encrypt the next batches and this thread validates the
 * ones after, so CPU and database work overlap.
 *
 * Memory stays flat: a batch's rows are dropped once it is written. What grows with the file is
 * only the set of phones seen (one short entry per lead, for de-duplication and the suppressed
 * count) and the rejected rows, which are kept up to MAX_REJECTED_ROWS and counted after that.
 *
 * A row whose phone is already known (a lead in the database, or an earlier row of this file)
 * only fills gaps (lead-fill.ts). Its record is read, locked, in the writing transaction (which
 * sees this import's own earlier writes and anything committed since the look-up), decrypted,
 * filled and encrypted again. Leads that end up opted out or whose phone is on the do-not-contact
 * list are stored like any other and counted as suppressed; new leads that are opted out get
 * status opted_out.
 */
import { randomUUID } from "node:crypto";
import { isSupportedCountry, type CountryCode } from "libphonenumber-js";
import { blindIndex } from "@/lib/crypto/blind-index";
import { DecryptionError } from "@/lib/crypto/field-cipher";
import type { Keyring } from "@/lib/crypto/keyring";
import type { RunInScope, UserScope } from "@/lib/db/scope";
import { listTeamMembers } from "@/lib/dealerships/team";
import { decryptLeadPii, encryptLeadPii, type LeadPii } from "@/lib/leads/lead-fields";
import { normalizeSourceLabel, resolveLeadSources } from "@/lib/leads/lead-sources";
import type { ColumnPlan } from "./column-plan";
import type { NewLeadItem } from "./encrypt-task";
import type { EncryptionExecutor } from "./import-executor";
import {
  insertLeads,
  lookupKnown,
  readFillTargets,
  updateFills,
  type FillRow,
  type FillTargetRow,
  type Known,
} from "./lead-batch-sql";
import { applyFillToLead, planFill, stateOfNewLead, type LeadFill, type LeadState } from "./lead-fill";
import type { CsvRow } from "./parse-csv";
import { runPrepareTask, type PreparedChunk } from "./prepare-task";
import type { PreparedLead } from "./prepare-row";
import type { RejectedRow } from "./rejects-csv";
import { salespersonMatcher } from "./salesperson-matcher";

export interface WriteLeadsOptions {
  keyring: Keyring;
  plan: ColumnPlan;
  now: Date;
  /** Rows per batch (validation slice, look-up, insert statement). */
  batchSize: number;
  /** consent_source for consent taken from the file. */
  consentSource: string;
  maxWarnings: number;
  /** Rejected rows kept with their cells (for the download); further ones are only counted. */
  maxRejectedRows: number;
  /** Look-ups of known phones run here, each in its own short transaction beside the writing one. */
  lookupRun: RunInScope<UserScope>;
  /** The file's data rows (from the scan), for progress. */
  totalRows: number;
  /** Called after each batch is handed to Postgres; throwing aborts (and rolls back) the import. */
  onBatchWritten?: (rowsDone: number, rowsTotal: number) => void | Promise<void>;
}

export interface WriteLeadsResult {
  /** Data rows read. */
  total: number;
  imported: number;
  updated: number;
  duplicates: number;
  suppressed: number;
  /** Rows not imported (all of them, including those past the kept list). */
  invalid: number;
  /** The first maxRejectedRows rejected rows, with their cells. */
  rejected: RejectedRow[];
  warnings: string[];
  warningCount: number;
  /** Salesperson names that matched no member, with how many leads named them (at most MAX_UNMATCHED_NAMES names). */
  unmatchedSalespeople: Map<string, number>;
}

// Batches validated and looked up ahead of the one being decided.
const PREPARE_AHEAD = 2;
// Rows validated between two turns of the event loop.
const PREPARE_SLICE = 500;
// Distinct unknown salesperson names listed (a column of free text must not grow without bound).
const MAX_UNMATCHED_NAMES = 200;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A copy of a string that shares no memory with the text it was cut from. Cells are slices of a
 * 256 KB piece of the file; one kept cell (a rejected row, an unknown salesperson) would keep its
 * whole piece alive, and the pieces of a large file add up.
 */
const own = (s: string): string => (s.length < 13 ? s : Buffer.from(s, "utf8").toString("utf8"));

// What the import remembers about each phone it has seen (the only per-lead memory that grows):
// two bits, keyed by the phone's blind index.
const ON_DNC = 1;
const OPTED_OUT = 2;

/** A row matching a lead this import cannot fill from memory: filled in the writing transaction. */
interface Refill {
  phoneBidx: string;
  lead: PreparedLead;
}

interface Prepared {
  rows: CsvRow[];
  chunk: PreparedChunk;
  known: Known;
}

/** Validates one batch in slices, yielding to the event loop between them. */
async function prepareBatch(
  rows: CsvRow[],
  ctx: { dealershipId: string; region: CountryCode },
  opts: WriteLeadsOptions,
): Promise<PreparedChunk> {
  const out: PreparedChunk = { leads: [], phoneBidxes: [], rejected: [], warnings: [], warningCount: 0 };
  for (let start = 0; start < rows.length; start += PREPARE_SLICE) {
    await yieldToEventLoop();
    const part = runPrepareTask(
      { rows: rows.slice(start, start + PREPARE_SLICE), plan: opts.plan, defaultRegion: ctx.region, now: opts.now },
      { dealershipId: ctx.dealershipId, keyring: opts.keyring, maxWarnings: opts.maxWarnings },
    );
    out.leads.push(...part.leads);
    out.phoneBidxes.push(...part.phoneBidxes);
    for (const r of part.rejected) out.rejected.push({ index: r.index + start, reason: r.reason });
    out.warningCount += part.warningCount;
    for (const w of part.warnings) if (out.warnings.length < opts.maxWarnings) out.warnings.push(w);
  }
  return out;
}

/** The next `n` rows of the file (fewer at its end). */
function take(rows: Iterator<CsvRow>, n: number): CsvRow[] {
  const out: CsvRow[] = [];
  while (out.length < n) {
    const next = rows.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

/** A known lead being filled: as read (locked), decrypted, and what this import fills in. */
interface FillTarget {
  row: FillTargetRow;
  pii: LeadPii | null;
  /** Its stored personal data would not decrypt: those fields are left alone. */
  unreadable: boolean;
  piiChanged: boolean;
  sourceLabel: string | null;
  fill: FillRow | null;
}

/** Which parts of a target are already filled (an unreadable record counts as full). */
function stateOfTarget({ row, pii, unreadable, sourceLabel }: FillTarget): LeadState {
  const p = pii ?? {};
  return {
    id: row.id,
    consent: row.consent_status,
    lastActivityAt: row.last_activity_at,
    hasName: unreadable || Boolean(p.firstName || p.lastName),
    hasPhone: unreadable || Boolean(p.phone),
    hasEmail: unreadable || Boolean(p.email),
    hasVehicle:
      unreadable || Boolean(p.vehicleYear || p.vehicleMake || p.vehicleModel || p.vehicleTrim || p.vehicleVin),
    hasNotes: unreadable || Boolean(p.notes),
    hasSource: row.source_id !== null || sourceLabel !== null,
    hasAssignee: row.assigned_to !== null,
  };
}

/**
 * Imports the rows into the scope's dealership; the caller owns the transaction and the executor.
 * Pulls the rows a batch at a time and keeps none it has written.
 */
export async function writeLeads(
  scope: UserScope,
  rowSource: Iterable<CsvRow>,
  executor: EncryptionExecutor,
  opts: WriteLeadsOptions,
): Promise<WriteLeadsResult> {
  const { dealershipId } = scope;
  // Phone numbers without a country code are read in the dealership's region (US if unknown to libphonenumber).
  const region: CountryCode = isSupportedCountry(scope.region) ? scope.region : "US";
  const { keyring, batchSize } = opts;
  const nowIso = opts.now.toISOString();
  const result: WriteLeadsResult = {
    total: 0,
    imported: 0,
    updated: 0,
    duplicates: 0,
    suppressed: 0,
    invalid: 0,
    rejected: [],
    warnings: [],
    warningCount: 0,
    unmatchedSalespeople: new Map(),
  };
  const warn = (w: string) => {
    result.warningCount++;
    if (result.warnings.length < opts.maxWarnings) result.warnings.push(w);
  };

  const members = opts.plan.single.salesperson === undefined ? [] : await listTeamMembers(scope);
  const matchSalesperson = salespersonMatcher(members);
  const assigneeOf = (lead: PreparedLead): string | null => {
    if (lead.salesperson === null) return null;
    const id = matchSalesperson(lead.salesperson);
    const unmatched = result.unmatchedSalespeople;
    if (id === null) {
      const count = unmatched.get(lead.salesperson);
      if (count !== undefined) unmatched.set(lead.salesperson, count + 1);
      else if (unmatched.size < MAX_UNMATCHED_NAMES) unmatched.set(own(lead.salesperson), 1);
    }
    return id;
  };

  // Source labels become lead_sources ids (created in this transaction) before anything is written.
  const sourceIds = new Map<string, string>();
  const resolveSources = async (labels: (string | null)[]): Promise<(label: string | null) => string | null> => {
    const missing = labels.filter((l): l is string => l !== null && !sourceIds.has(normalizeSourceLabel(l) ?? ""));
    if (missing.length > 0) {
      for (const [normalized, id] of await resolveLeadSources(scope, missing, keyring))
        sourceIds.set(own(normalized), id);
    }
    return (label) => {
      const normalized = label === null ? null : normalizeSourceLabel(label);
      return normalized === null ? null : (sourceIds.get(normalized) ?? null);
    };
  };

  const seen = new Map<string, number>();
  const setFlag = (bidx: string, flag: number, on: boolean) =>
    seen.set(bidx, on ? (seen.get(bidx) ?? 0) | flag : (seen.get(bidx) ?? 0) & ~flag);

  /**
   * Fills leads from rows of the file, in the writing transaction: each lead is read locked, as it
   * is now, and each row fills what is still empty (several rows for one lead apply in order).
   */
  const fillKnownLeads = async (refills: readonly Refill[]): Promise<void> => {
    if (refills.length === 0) return;
    const targets = new Map<string, FillTarget>();
    for (const row of await readFillTargets(scope, [...new Set(refills.map((r) => r.phoneBidx))])) {
      targets.set(row.phone_bidx, {
        row,
        pii: null,
        unreadable: false,
        piiChanged: false,
        sourceLabel: null,
        fill: null,
      });
    }
    for (const { phoneBidx, lead } of refills) {
      const t = targets.get(phoneBidx);
      if (!t) continue; // deleted meanwhile: nothing to fill
      if (t.pii === null) {
        try {
          t.pii = decryptLeadPii(t.row, keyring);
        } catch (err) {
          if (!(err instanceof DecryptionError)) throw err;
          // A record that cannot be read cannot be merged: its personal fields stay as they are.
          t.pii = {};
          t.unreadable = true;
          warn(
            `row ${lead.rowNumber}: the existing lead's details could not be decrypted, so only its other fields were filled`,
          );
        }
      }
      const state = stateOfTarget(t);
      const fill = planFill(state, lead, state.hasAssignee ? null : assigneeOf(lead));
      if (fill) applyFill(t, fill);
    }
    const sourceIdOf = await resolveSources([...targets.values()].map((t) => t.sourceLabel));
    const rows: FillRow[] = [];
    for (const [bidx, t] of targets) {
      setFlag(bidx, OPTED_OUT, t.row.consent_status === "opted_out");
      if (!t.fill) continue;
      if (t.sourceLabel !== null) t.fill.source_id = sourceIdOf(t.sourceLabel);
      if (t.piiChanged) t.fill.pii_enc = encryptLeadPii(t.pii!, dealershipId, t.row.id, keyring).pii_enc;
      rows.push(t.fill);
    }
    await updateFills(scope, rows);
  };

  /** Records a fill on its target (and in the target's state, for the next row of the same lead). */
  const applyFill = (t: FillTarget, fill: LeadFill): void => {
    const f: FillRow = (t.fill ??= {
      id: t.row.id,
      pii_enc: null,
      email_bidx: null,
      full_name_bidx: null,
      source_id: null,
      assigned_to: null,
      last_activity_at: null,
      consent_status: null,
      consent_source: null,
      consent_updated_at: null,
    });
    if (Object.keys(fill.pii).length > 0) {
      Object.assign(t.pii!, fill.pii);
      t.piiChanged = true;
    }
    if (fill.emailForIndex) f.email_bidx = blindIndex("email", fill.emailForIndex, dealershipId, keyring);
    if (fill.nameForIndex) f.full_name_bidx = blindIndex("name", fill.nameForIndex, dealershipId, keyring);
    if (fill.source) t.sourceLabel = fill.source;
    if (fill.assignee) f.assigned_to = t.row.assigned_to = fill.assignee;
    if (fill.lastActivityAt) {
      f.last_activity_at = fill.lastActivityAt.toISOString();
      t.row.last_activity_at = fill.lastActivityAt;
    }
    if (fill.consent) {
      f.consent_status = t.row.consent_status = fill.consent;
      f.consent_source = opts.consentSource;
      f.consent_updated_at = nowIso;
    }
  };

  /** Sorts one validated batch into new leads and refills, updating what this import has seen. */
  const decide = (chunk: PreparedChunk, { known, dnc }: Known): { inserts: NewLeadItem[]; refills: Refill[] } => {
    const inserts: NewLeadItem[] = [];
    const refills: Refill[] = [];
    const pending = new Map<string, NewLeadItem>();
    chunk.leads.forEach((lead, k) => {
      const bidx = chunk.phoneBidxes[k]!;
      if (seen.has(bidx)) {
        result.duplicates++;
        const item = pending.get(bidx);
        if (!item) return void refills.push({ phoneBidx: bidx, lead });
        // A duplicate of a new lead of this same batch: merged before it is encrypted.
        const fill = planFill(
          stateOfNewLead(item.id, item.lead, item.assignee),
          lead,
          item.assignee ? null : assigneeOf(lead),
        );
        if (!fill) return;
        applyFillToLead(item.lead, fill);
        item.assignee ??= fill.assignee;
        return;
      }
      const consent = known.get(bidx);
      seen.set(bidx, dnc.has(bidx) ? ON_DNC : 0);
      if (consent !== undefined) {
        result.updated++;
        setFlag(bidx, OPTED_OUT, consent === "opted_out");
        refills.push({ phoneBidx: bidx, lead });
        return;
      }
      result.imported++;
      const item: NewLeadItem = { id: randomUUID(), lead, phoneBidx: bidx, assignee: assigneeOf(lead) };
      inserts.push(item);
      pending.set(bidx, item);
    });
    for (const item of inserts) setFlag(item.phoneBidx, OPTED_OUT, item.lead.consent === "opted_out");
    return { inserts, refills };
  };

  // Validation and look-ups run ahead; decisions, encryption and writes follow batch order.
  // A look-up cannot see this import's own uncommitted leads; `seen` covers those.
  const rows = rowSource[Symbol.iterator]();
  let exhausted = false;
  const ahead: Promise<Prepared | null>[] = [];
  const fillAhead = () => {
    while (!exhausted && ahead.length < PREPARE_AHEAD + 1) {
      const batch = take(rows, batchSize);
      if (batch.length === 0) {
        exhausted = true;
        break;
      }
      const p = prepareBatch(batch, { dealershipId, region }, opts).then(async (chunk) => ({
        rows: batch,
        chunk,
        known: await opts.lookupRun((lookupScope) => lookupKnown(lookupScope, chunk.phoneBidxes)),
      }));
      p.catch(() => {}); // awaited in order below; this only keeps Node from calling it unhandled
      ahead.push(p);
    }
  };

  // Decided batches whose new leads are being encrypted, oldest first.
  const encrypting: { json: Promise<string>; inserts: NewLeadItem[]; refills: Refill[] }[] = [];
  let writing: Promise<void> | null = null;
  const writeOldest = async () => {
    const { json, inserts, refills } = encrypting.shift()!;
    const text = await json;
    if (writing) await writing;
    writing = (async () => {
      const inserted = await insertLeads(scope, text);
      // Created by someone else between our look-up and our insert (a reply, another import): filled instead.
      const conflicted = inserted === null ? [] : inserts.filter((item) => !inserted.has(item.phoneBidx));
      for (const item of conflicted) {
        result.imported--;
        result.updated++;
      }
      await fillKnownLeads([...refills, ...conflicted.map((item) => ({ phoneBidx: item.phoneBidx, lead: item.lead }))]);
    })();
    writing.catch(() => {}); // awaited before the next write or after the loop
  };

  let done = 0;
  try {
    fillAhead();
    while (ahead.length > 0) {
      const prepared = (await ahead.shift()!)!;
      fillAhead();
      const { rows: batch, chunk, known } = prepared;
      result.total += batch.length;
      for (const r of chunk.rejected) {
        result.invalid++;
        if (result.rejected.length < opts.maxRejectedRows) {
          const row = batch[r.index]!;
          result.rejected.push({ rowNumber: row.rowNumber, reason: r.reason, cells: row.cells.map(own) });
        }
      }
      result.warningCount += chunk.warningCount;
      for (const w of chunk.warnings) if (result.warnings.length < opts.maxWarnings) result.warnings.push(w);

      const { inserts, refills } = decide(chunk, known);
      const sourceIdOf = await resolveSources(inserts.map((i) => i.lead.source));
      for (const item of inserts) item.sourceId = sourceIdOf(item.lead.source);
      const json = inserts.length > 0 ? executor.encrypt(inserts) : Promise.resolve("");
      json.catch(() => {}); // awaited in writeOldest
      encrypting.push({ json, inserts, refills });
      // One batch per thread being encrypted while Postgres writes the one before.
      while (encrypting.length > Math.max(1, executor.threads)) await writeOldest();
      done += batch.length;
      await opts.onBatchWritten?.(done, Math.max(done, opts.totalRows));
    }
    while (encrypting.length > 0) await writeOldest();
    if (writing) await writing;
  } catch (err) {
    // Never leave a write in flight: a statement sent after the caller's transaction ended would
    // run outside it (and commit). The writes are chained, so waiting for the last one is enough.
    if (writing) await (writing as Promise<void>).catch(() => {});
    throw err;
  }

  for (const flags of seen.values()) if (flags !== 0) result.suppressed++;
  return result;
}
