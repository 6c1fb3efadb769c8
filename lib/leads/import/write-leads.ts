/**
 * The writing half of an import, inside the caller's transaction, as a pipeline over batches of
 * the file as the executor reads and validates it (import-workshop.ts, on a worker thread): look
 * up known phones (a separate read transaction, so it never waits behind a write) → decide what
 * each row becomes → the executor merges and encrypts the new leads → COPY into a staging table
 * and one INSERT … SELECT a batch (lead-batch-sql.ts), then the fills of known leads. While Postgres writes batch n, the worker encrypts batch n+1 and reads the
 * one after, so CPU and database work overlap.
 *
 * Memory stays flat: a batch is dropped once it is written, and this thread only ever holds a
 * batch's phone blind indexes and its COPY rows (as bytes, off the heap). What grows with the file is only the set of phones
 * seen (seen-phones.ts: about 40 bytes a lead, off the heap, for de-duplication and the suppressed
 * count) and the rejected rows, which are kept up to maxRejectedRows and counted after that.
 *
 * A row whose phone is already known (a lead in the database, or an earlier row of this file)
 * only fills gaps (lead-fill.ts). Its record is read, locked, in the writing transaction (which
 * sees this import's own earlier writes and anything committed since the look-up), decrypted,
 * filled and encrypted again. Leads that end up opted out or whose phone is on the do-not-contact
 * list are stored like any other and counted as suppressed; new leads that are opted out get
 * status opted_out.
 */
import { blindIndex } from "@/lib/crypto/blind-index";
import { DecryptionError } from "@/lib/crypto/field-cipher";
import type { Keyring } from "@/lib/crypto/keyring";
import type { RunInScope, UserScope } from "@/lib/db/scope";
import type { TeamMember } from "@/lib/dealerships/team";
import { decryptLeadPii, encryptLeadPii, type LeadPii } from "@/lib/leads/lead-fields";
import { normalizeSourceLabel, resolveLeadSources } from "@/lib/leads/lead-sources";
import type { ImportExecutor } from "./import-executor";
import type { BatchDecisions, BatchForDecision, FinishedBatch } from "./import-workshop";
import {
  prepareImportTransaction,
  insertLeads,
  lookupKnown,
  readFillTargets,
  updateFills,
  type FillRow,
  type FillTargetRow,
  type Known,
  type SkippedLeadRow,
} from "./lead-batch-sql";
import { planFill, type LeadFill, type LeadState } from "./lead-fill";
import type { PreparedLead } from "./prepare-row";
import type { RejectedRow } from "./rejects-csv";
import { salespersonMatcher } from "./salesperson-matcher";
import { SeenPhones } from "./seen-phones";

export interface WriteLeadsOptions {
  /** The lead_imports record: every lead this import creates or fills carries it (leads.last_import_id). */
  importId: string;
  keyring: Keyring;
  now: Date;
  /** The dealership's members (to match salesperson names of rows that fill known leads). */
  members: Pick<TeamMember, "userId" | "email" | "displayName">[];
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
const PREPARE_AHEAD = 1;
// Distinct unknown salesperson names listed (a column of free text must not grow without bound).
const MAX_UNMATCHED_NAMES = 200;

/**
 * A copy of a string that shares no memory with the text it was cut from (in-thread, cells are
 * slices of a 256 KB piece of the file): a kept name must not keep its whole piece alive.
 */
const own = (s: string): string => (s.length < 13 ? s : Buffer.from(s, "utf8").toString("utf8"));

// What the import remembers about each phone it has seen (the only per-lead memory that grows):
// two bits, keyed by the phone's blind index (seen-phones.ts).
const ON_DNC = 1;
const OPTED_OUT = 2;

/** A row matching a lead this import cannot fill from memory: filled in the writing transaction. */
interface Refill {
  phoneBidx: string;
  lead: PreparedLead;
  /** Already resolved (a new lead that turned out to exist): used instead of the lead's salesperson and source label. */
  resolved?: { assignee: string | null; sourceId: string | null };
}

interface Prepared {
  batch: BatchForDecision;
  known: Known;
}

/** A known lead being filled: as read (locked), decrypted, and what this import fills in. */
interface FillTarget {
  row: FillTargetRow;
  pii: LeadPii | null;
  /** Its stored personal data would not decrypt: those fields are left alone. */
  unreadable: boolean;
  piiChanged: boolean;
  sourceLabel: string | null;
  /** A source already resolved (see Refill.resolved). */
  sourceId: string | null;
  fill: FillRow | null;
}

/** Which parts of a target are already filled (an unreadable record counts as full). */
function stateOfTarget({ row, pii, unreadable, sourceLabel, sourceId }: FillTarget): LeadState {
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
    hasCrmId: unreadable || Boolean(p.crmId),
    hasSource: row.source_id !== null || sourceLabel !== null || sourceId !== null,
    hasAssignee: row.assigned_to !== null,
  };
}

/**
 * Imports the file's rows into the scope's dealership; the caller owns the transaction and the
 * executor (which reads and validates the file). Takes the rows a batch at a time and keeps none
 * it has written.
 */
export async function writeLeads(
  scope: UserScope,
  executor: ImportExecutor,
  opts: WriteLeadsOptions,
): Promise<WriteLeadsResult> {
  const { dealershipId } = scope;
  const { keyring } = opts;
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

  const matchSalesperson = salespersonMatcher(opts.members);
  const countUnmatched = (name: string, n: number) => {
    const unmatched = result.unmatchedSalespeople;
    const count = unmatched.get(name);
    if (count !== undefined) unmatched.set(name, count + n);
    else if (unmatched.size < MAX_UNMATCHED_NAMES) unmatched.set(own(name), n);
  };
  const assigneeOf = (lead: PreparedLead): string | null => {
    if (lead.salesperson === null) return null;
    const id = matchSalesperson(lead.salesperson);
    if (id === null) countUnmatched(lead.salesperson, 1);
    return id;
  };

  // Source labels become lead_sources ids (created in this transaction) before anything is written.
  const sourceIds = new Map<string, string>();
  // `beforeWriting`: called from outside the write chain (for a batch about to be encrypted), so
  // first wait for the write in flight: the writing connection takes one statement at a time,
  // and none at all during a COPY.
  const resolveSources = async (
    labels: (string | null)[],
    beforeWriting?: () => Promise<void>,
  ): Promise<(label: string | null) => string | null> => {
    const missing = labels.filter((l): l is string => l !== null && !sourceIds.has(normalizeSourceLabel(l) ?? ""));
    if (missing.length > 0) {
      await beforeWriting?.();
      for (const [normalized, id] of await resolveLeadSources(scope, missing, keyring))
        sourceIds.set(own(normalized), id);
    }
    return (label) => {
      const normalized = label === null ? null : normalizeSourceLabel(label);
      return normalized === null ? null : (sourceIds.get(normalized) ?? null);
    };
  };

  const seen = new SeenPhones();
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
        sourceId: null,
        fill: null,
      });
    }
    for (const { phoneBidx, lead, resolved } of refills) {
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
      const fill = planFill(state, lead, state.hasAssignee ? null : resolved ? resolved.assignee : assigneeOf(lead));
      if (fill) applyFill(t, fill);
      if (resolved?.sourceId && !state.hasSource) {
        t.sourceId = resolved.sourceId;
        applyFill(t, {
          pii: {},
          emailForIndex: null,
          nameForIndex: null,
          source: null,
          assignee: null,
          lastActivityAt: null,
          consent: null,
        });
      }
    }
    const sourceIdOf = await resolveSources([...targets.values()].map((t) => t.sourceLabel));
    const rows: FillRow[] = [];
    for (const [bidx, t] of targets) {
      setFlag(bidx, OPTED_OUT, t.row.consent_status === "opted_out");
      if (!t.fill) continue;
      if (t.sourceLabel !== null) t.fill.source_id = sourceIdOf(t.sourceLabel);
      else if (t.sourceId !== null) t.fill.source_id = t.sourceId;
      if (t.piiChanged) t.fill.pii_enc = encryptLeadPii(t.pii!, dealershipId, t.row.id, keyring).pii_enc;
      rows.push(t.fill);
    }
    await updateFills(scope, opts.importId, rows);
  };

  /** The lead a staged row was made from, as a refill of the lead that took its phone. */
  const refillOfSkippedRow = (row: SkippedLeadRow): Refill => {
    const pii = decryptLeadPii({ id: row.id, dealership_id: dealershipId, pii_enc: row.pii_enc }, keyring);
    const lead: PreparedLead = {
      rowNumber: 0,
      phone: pii.phone!,
      firstName: pii.firstName ?? null,
      lastName: pii.lastName ?? null,
      email: pii.email ?? null,
      vehicleYear: pii.vehicleYear ?? null,
      vehicleMake: pii.vehicleMake ?? null,
      vehicleModel: pii.vehicleModel ?? null,
      vehicleTrim: pii.vehicleTrim ?? null,
      vehicleVin: pii.vehicleVin ?? null,
      notes: pii.notes ?? null,
      crmId: pii.crmId ?? null,
      lastActivityAt: row.last_activity_at,
      salesperson: null,
      source: null,
      consent: row.consent_status === "unknown" ? null : row.consent_status,
    };
    return { phoneBidx: row.phone_bidx, lead, resolved: { assignee: row.assigned_to, sourceId: row.source_id } };
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

  /** Sorts one validated batch into new leads, merges and refills, updating what this import has seen. */
  const decide = (batch: BatchForDecision, { known, dnc }: Known): BatchDecisions => {
    const d: BatchDecisions = { seq: batch.seq, inserts: [], merges: [], refills: [], sourceIds: [] };
    const pending = new Map<string, number>(); // new leads of this batch by phone
    batch.phoneBidxes.forEach((bidx, k) => {
      if (seen.has(bidx)) {
        result.duplicates++;
        const into = pending.get(bidx);
        // A duplicate of a new lead of this same batch is merged into it before it is encrypted.
        if (into !== undefined) d.merges.push([k, into]);
        else d.refills.push(k);
        return;
      }
      const consent = known.get(bidx);
      seen.set(bidx, dnc.has(bidx) ? ON_DNC : 0);
      if (consent !== undefined) {
        result.updated++;
        setFlag(bidx, OPTED_OUT, consent === "opted_out");
        d.refills.push(k);
        return;
      }
      result.imported++;
      d.inserts.push(k);
      pending.set(bidx, k);
    });
    return d;
  };

  // Validation and look-ups run ahead; decisions, encryption and writes follow batch order.
  // A look-up cannot see this import's own uncommitted leads; `seen` covers those.
  let exhausted = false;
  const ahead: Promise<Prepared | null>[] = [];
  const fillAhead = () => {
    while (!exhausted && ahead.length < PREPARE_AHEAD + 1) {
      const p = executor.nextBatch().then(async (batch): Promise<Prepared | null> => {
        if (batch === null) return null;
        return { batch, known: await opts.lookupRun((lookupScope) => lookupKnown(lookupScope, batch.phoneBidxes)) };
      });
      p.catch(() => {}); // awaited in order below; this only keeps Node from calling it unhandled
      ahead.push(p);
    }
  };

  // Decided batches being merged and encrypted, oldest first.
  const encrypting: { finished: Promise<FinishedBatch>; bidxes: string[]; refills: number[] }[] = [];
  let writing: Promise<void> | null = null;
  const writeOldest = async () => {
    const { finished, bidxes, refills } = encrypting.shift()!;
    const batch = await finished;
    for (const [name, n] of batch.unmatched) countUnmatched(name, n);
    for (const bidx of batch.optedOut) setFlag(bidx, OPTED_OUT, true);
    const refillRows: Refill[] = refills.map((k, i) => ({ phoneBidx: bidxes[k]!, lead: batch.refills[i]! }));
    if (writing) await writing;
    writing = (async () => {
      const skipped = await insertLeads(scope, opts.importId, batch.insertRows);
      // Created by someone else between our look-up and our insert (a reply, another import): filled
      // instead, from the staged rows (the batch is encrypted already, so its leads are read back).
      for (const row of skipped ?? []) {
        result.imported--;
        result.updated++;
        refillRows.push(refillOfSkippedRow(row));
      }
      await fillKnownLeads(refillRows);
    })();
    writing.catch(() => {}); // awaited before the next write or after the loop
  };

  let done = 0;
  await prepareImportTransaction(scope);
  try {
    fillAhead();
    while (ahead.length > 0) {
      const prepared = await ahead.shift()!;
      if (prepared === null) {
        exhausted = true;
        continue; // batches asked for after the end are null too
      }
      const { batch, known } = prepared;
      result.total += batch.rowsRead;
      for (const r of batch.rejected) {
        result.invalid++;
        if (result.rejected.length < opts.maxRejectedRows) result.rejected.push(r);
      }
      result.warningCount += batch.warningCount;
      for (const w of batch.warnings) if (result.warnings.length < opts.maxWarnings) result.warnings.push(w);

      const decisions = decide(batch, known);
      // Source labels become lead_sources ids (created in this transaction) before the leads are encrypted.
      if (decisions.inserts.length > 0 && batch.sourceLabels.length > 0) {
        await resolveSources(batch.sourceLabels, async () => {
          if (writing) await writing;
        });
        decisions.sourceIds = batch.sourceLabels.flatMap((label) => {
          const normalized = normalizeSourceLabel(label);
          const id = normalized === null ? undefined : sourceIds.get(normalized);
          return normalized === null || id === undefined ? [] : [[normalized, id] as [string, string]];
        });
      }
      const finished = executor.finish(decisions);
      finished.catch(() => {}); // awaited in writeOldest
      // The next read is asked for after this batch's encryption, so the worker (which answers in
      // order) encrypts what Postgres needs next before reading further ahead.
      fillAhead();
      encrypting.push({ finished, bidxes: batch.phoneBidxes, refills: decisions.refills });
      // One batch being encrypted while Postgres writes the one before.
      while (encrypting.length > 1) await writeOldest();
      done += batch.rowsRead;
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

  result.suppressed = seen.countWith(ON_DNC | OPTED_OUT);
  return result;
}
