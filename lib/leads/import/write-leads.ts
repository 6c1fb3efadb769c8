/**
 * The writing half of an import, inside the caller's transaction, as a pipeline over batches of
 * rows: validate (this thread, in slices) → look up known phones (a separate read transaction,
 * so it never waits behind a write) → encrypt new leads (worker threads) → one multi-row insert
 * and one multi-row fill per batch. While Postgres writes batch n, the threads encrypt the next
 * batches and this thread validates the ones after, so CPU and database work overlap.
 *
 * A row whose phone is already known (a lead in the database, or an earlier row of this file)
 * only fills gaps (lead-fill.ts). Leads that end up opted out or whose phone is on the
 * do-not-contact list are stored like any other and counted as suppressed; new leads that are
 * opted out get status opted_out.
 */
import { randomUUID } from "node:crypto";
import { isSupportedCountry, type CountryCode } from "libphonenumber-js";
import { blindIndex } from "@/lib/crypto/blind-index";
import type { Keyring } from "@/lib/crypto/keyring";
import type { RunInScope, UserScope } from "@/lib/db/scope";
import { listTeamMembers } from "@/lib/dealerships/team";
import { encryptLeadPii } from "@/lib/leads/lead-fields";
import { normalizeSourceLabel, resolveLeadSources } from "@/lib/leads/lead-sources";
import type { ColumnPlan } from "./column-plan";
import type { NewLeadItem } from "./encrypt-task";
import type { EncryptionExecutor } from "./import-executor";
import { lookupKnown, writeBatch, type Known, type LeadRow } from "./lead-batch-sql";
import {
  applyFillToLead,
  applyFillToState,
  planFill,
  stateOfNewLead,
  type LeadFill,
  type LeadState,
} from "./lead-fill";
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
  /** Look-ups of known phones run here, each in its own short transaction beside the writing one. */
  lookupRun: RunInScope<UserScope>;
  /** Called after each batch is handed to Postgres; throwing aborts (and rolls back) the import. */
  onBatchWritten?: (rowsDone: number, rowsTotal: number) => void | Promise<void>;
}

export interface WriteLeadsResult {
  imported: number;
  updated: number;
  duplicates: number;
  suppressed: number;
  rejected: RejectedRow[];
  warnings: string[];
  warningCount: number;
  /** Salesperson names that matched no member, with how many leads named them. */
  unmatchedSalespeople: Map<string, number>;
}

// Batches validated and looked up ahead of the one being decided.
const PREPARE_AHEAD = 2;
// Rows validated between two turns of the event loop.
const PREPARE_SLICE = 500;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Seen {
  state: LeadState;
  dnc: boolean;
  /** Set while the lead is an insert of the batch being decided (not yet encrypted). */
  pending?: NewLeadItem;
}

interface Decided {
  inserts: NewLeadItem[];
  updates: LeadRow[];
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

/**
 * Imports the rows into the scope's dealership; the caller owns the transaction and the executor.
 * Consumes `rows`: each batch's entries are released once decided, to keep memory flat.
 */
export async function writeLeads(
  scope: UserScope,
  rows: CsvRow[],
  executor: EncryptionExecutor,
  opts: WriteLeadsOptions,
): Promise<WriteLeadsResult> {
  const { dealershipId } = scope;
  // Phone numbers without a country code are read in the dealership's region (US if unknown to libphonenumber).
  const region: CountryCode = isSupportedCountry(scope.region) ? scope.region : "US";
  const { keyring, batchSize } = opts;
  const nowIso = opts.now.toISOString();
  const result: WriteLeadsResult = {
    imported: 0,
    updated: 0,
    duplicates: 0,
    suppressed: 0,
    rejected: [],
    warnings: [],
    warningCount: 0,
    unmatchedSalespeople: new Map(),
  };

  const members = opts.plan.single.salesperson === undefined ? [] : await listTeamMembers(scope);
  const matchSalesperson = salespersonMatcher(members);
  const assigneeOf = (lead: PreparedLead): string | null => {
    if (lead.salesperson === null) return null;
    const id = matchSalesperson(lead.salesperson);
    if (id === null)
      result.unmatchedSalespeople.set(lead.salesperson, (result.unmatchedSalespeople.get(lead.salesperson) ?? 0) + 1);
    return id;
  };

  // Source labels become lead_sources ids (created in this transaction) before anything is written.
  const sourceIds = new Map<string, string>();
  const sourceIdOf = (label: string | null): string | null => {
    const normalized = label === null ? null : normalizeSourceLabel(label);
    return normalized === null ? null : (sourceIds.get(normalized) ?? null);
  };
  /** Resolves the labels of a batch's new leads and fills, then puts the ids in place. */
  const resolveSources = async (decided: Decided): Promise<void> => {
    const labels = [
      ...decided.inserts.map((i) => i.lead.source),
      ...decided.updates.map((u) => u.source_label as string | null),
    ];
    const missing = labels.filter((l): l is string => l !== null && !sourceIds.has(normalizeSourceLabel(l) ?? ""));
    if (missing.length > 0) {
      for (const [normalized, id] of await resolveLeadSources(scope, missing, keyring)) sourceIds.set(normalized, id);
    }
    for (const item of decided.inserts) item.sourceId = sourceIdOf(item.lead.source);
    for (const row of decided.updates) {
      row.source_id = sourceIdOf(row.source_label as string | null);
      delete row.source_label;
    }
  };

  /** The fill as an update row: encrypted for the lead's own id, blind indexes for filled fields; source_label is resolved later. */
  const fillRow = (id: string, fill: LeadFill): LeadRow => ({
    id,
    ...encryptLeadPii(fill.pii, dealershipId, id, keyring),
    email_bidx: fill.emailForIndex ? blindIndex("email", fill.emailForIndex, dealershipId, keyring) : null,
    full_name_bidx: fill.nameForIndex ? blindIndex("name", fill.nameForIndex, dealershipId, keyring) : null,
    source_label: fill.source,
    assigned_to: fill.assignee,
    last_activity_at: fill.lastActivityAt,
    consent_status: fill.consent,
    consent_source: fill.consent ? opts.consentSource : null,
    consent_updated_at: fill.consent ? nowIso : null,
  });

  const seen = new Map<string, Seen>();

  /** Sorts one validated batch into inserts and fills, updating what this import has seen. */
  const decide = (chunk: PreparedChunk, { known, dnc }: Known): Decided => {
    const out: Decided = { inserts: [], updates: [] };
    chunk.leads.forEach((lead, k) => {
      const bidx = chunk.phoneBidxes[k]!;
      const earlier = seen.get(bidx);
      if (earlier) {
        result.duplicates++;
        const fill = planFill(earlier.state, lead, earlier.state.hasAssignee ? null : assigneeOf(lead));
        if (!fill) return;
        applyFillToState(earlier.state, fill);
        if (earlier.pending) {
          applyFillToLead(earlier.pending.lead, fill);
          earlier.pending.assignee ??= fill.assignee;
        } else {
          out.updates.push(fillRow(earlier.state.id, fill));
        }
        return;
      }
      const existing = known.get(bidx);
      if (existing) {
        result.updated++;
        const fill = planFill(existing, lead, existing.hasAssignee ? null : assigneeOf(lead));
        if (fill) {
          applyFillToState(existing, fill);
          out.updates.push(fillRow(existing.id, fill));
        }
        seen.set(bidx, { state: existing, dnc: dnc.has(bidx) });
        return;
      }
      result.imported++;
      const assignee = assigneeOf(lead);
      const item: NewLeadItem = { id: randomUUID(), lead, phoneBidx: bidx, assignee };
      out.inserts.push(item);
      seen.set(bidx, { state: stateOfNewLead(item.id, lead, assignee), dnc: dnc.has(bidx), pending: item });
    });
    for (const item of out.inserts) seen.get(item.phoneBidx)!.pending = undefined;
    return out;
  };

  // Validation and look-ups run ahead; decisions, encryption and writes follow batch order.
  // A look-up cannot see this import's own uncommitted leads; `seen` covers those.
  const batchCount = Math.ceil(rows.length / batchSize);
  const ahead: Promise<{ chunk: PreparedChunk; known: Known }>[] = [];
  const startAhead = (upTo: number) => {
    while (ahead.length < Math.min(batchCount, upTo)) {
      const start = ahead.length * batchSize;
      const p = prepareBatch(rows.slice(start, start + batchSize), { dealershipId, region }, opts).then(
        async (chunk) => ({
          chunk,
          known: await opts.lookupRun((lookupScope) => lookupKnown(lookupScope, chunk.phoneBidxes)),
        }),
      );
      p.catch(() => {}); // awaited in order below; this only keeps Node from calling it unhandled
      ahead.push(p);
    }
  };

  // Decided batches whose new leads are being encrypted, oldest first.
  const encrypting: { json: Promise<string>; decided: Decided }[] = [];
  let writing: Promise<void> | null = null;
  const conflicted: NewLeadItem[] = []; // created by someone else between our look-up and our insert
  const writeOldest = async () => {
    const { json, decided } = encrypting.shift()!;
    const text = await json;
    if (writing) await writing;
    writing = writeBatch(scope, text, decided.updates).then((insertedIds) => {
      if (insertedIds.size !== decided.inserts.length) {
        for (const item of decided.inserts) if (!insertedIds.has(item.id)) conflicted.push(item);
      }
    });
    writing.catch(() => {}); // awaited before the next write or after the loop
  };

  for (let b = 0; b < batchCount; b++) {
    startAhead(b + 1 + PREPARE_AHEAD);
    const { chunk, known } = await ahead[b]!;
    const offset = b * batchSize;
    for (const r of chunk.rejected) {
      const row = rows[offset + r.index]!;
      result.rejected.push({ rowNumber: row.rowNumber, reason: r.reason, cells: row.cells });
    }
    // Done with these rows (rejected ones live on in result.rejected); let them be collected.
    for (let i = offset; i < Math.min(offset + batchSize, rows.length); i++) rows[i] = RELEASED_ROW;
    ahead[b] = DONE;
    result.warningCount += chunk.warningCount;
    for (const w of chunk.warnings) if (result.warnings.length < opts.maxWarnings) result.warnings.push(w);

    const decided = decide(chunk, known);
    await resolveSources(decided);
    const json = decided.inserts.length > 0 ? executor.encrypt(decided.inserts) : Promise.resolve("");
    json.catch(() => {}); // awaited in writeOldest
    encrypting.push({ json, decided });
    // One batch per thread being encrypted while Postgres writes the one before.
    while (encrypting.length > Math.max(1, executor.threads)) await writeOldest();
    await opts.onBatchWritten?.(Math.min(offset + batchSize, rows.length), rows.length);
  }
  while (encrypting.length > 0) await writeOldest();
  if (writing) await writing;

  if (conflicted.length > 0) {
    // Someone else (a reply, another import) created these leads meanwhile: fill them instead.
    const { known } = await lookupKnown(
      scope,
      conflicted.map((c) => c.phoneBidx),
    );
    const updates: LeadRow[] = [];
    for (const item of conflicted) {
      result.imported--;
      result.updated++;
      const existing = known.get(item.phoneBidx);
      if (!existing) continue;
      const fill = planFill(existing, item.lead, existing.hasAssignee ? null : item.assignee);
      if (fill) updates.push(fillRow(existing.id, fill));
      seen.get(item.phoneBidx)!.state.consent = fill?.consent ?? existing.consent;
    }
    await resolveSources({ inserts: [], updates });
    await writeBatch(scope, "", updates);
  }
  for (const s of seen.values()) if (s.dnc || s.state.consent === "opted_out") result.suppressed++;
  return result;
}

const RELEASED_ROW: CsvRow = { rowNumber: 0, cells: [], extraCells: 0 };
const DONE = Promise.resolve({
  chunk: { leads: [], phoneBidxes: [], rejected: [], warnings: [], warningCount: 0 } as PreparedChunk,
  known: { known: new Map(), dnc: new Set() } as Known,
});
