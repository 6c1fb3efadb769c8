/**
 * importLeadsFromCsv: the one entry point for importing a CRM export, used by the UI (through a
 * server action or route handler) and by the benchmark.
 *
 * 1. Scan the file (limits, sniffing, decoding, parsing; read-csv-file.ts) and check the mapping:
 *    a bad file or mapping is refused before anything is written. The file is read a chunk at a
 *    time, here and below, never held whole as text or rows.
 * 2. Record the import (status processing) in its own committed transaction, so even a process
 *    that dies later leaves a record that says an import was attempted.
 *    While the import runs, the record's lease is renewed every few seconds (short transactions
 *    of their own), so a process that dies leaves a record the next reader marks failed.
 * 3. In ONE transaction: read the rows again in batches, validate, de-duplicate, encrypt and write
 *    every lead (write-leads.ts),
 *    mark the record completed with its counts (the database appends the `leads.imported` audit
 *    event) and save the mapping for this file shape. Any failure rolls all of it back; the record
 *    is then marked failed (separate transaction) with a safe message.
 */
import { randomUUID } from "node:crypto";
import { listTeamMembers, type TeamMember } from "@/lib/dealerships/team";
import { isSupportedCountry } from "libphonenumber-js";
import { keyringFromEnv, type Keyring } from "@/lib/crypto/keyring";
import type { RunInScope, UserScope } from "@/lib/db/scope";
import { toAppError } from "@/lib/server/app-error";
import { planColumns } from "./column-plan";
import type { TextEncodingName } from "./decode-text";
import { LeadImportFailedError } from "./import-error";
import { IMPORT_WRITE_BATCH_SIZE } from "./import-limits";
import type { ImportMapping } from "./import-mapping.schema";
import {
  completeImportRecord,
  failImportRecord,
  renewImportLease,
  startImportRecord,
  type ImportCounts,
} from "./import-records";
import type { CsvDelimiter } from "./parse-csv";
import { defaultWorkerCount, startImportExecutor, type ImportExecutor } from "./import-executor";
import type { CsvSource } from "./csv-source";
import { scanCsvAsync } from "./read-csv-file";
import { buildRejectsCsv, type RejectedRow } from "./rejects-csv";
import { saveImportMapping } from "./saved-mappings";
import { writeLeads } from "./write-leads";

export interface ImportProgress {
  phase: "writing" | "completed";
  /** Rows of the file done (validated and written). */
  processed: number;
  total: number;
}

export interface ImportLeadsInput {
  /** Runs each of the import's transactions in the user's scope, e.g. `ctx.run` or `(fn) => withUser(claims, dealershipId, fn)`. */
  run: RunInScope<UserScope>;
  /** The uploaded file: bytes in memory, the upload's chunks, or a file path. */
  source: CsvSource;
  /** Shown in the import history; stored encrypted. */
  fileName: string;
  /** header → field (see importMappingSchema); validated here. */
  mapping: unknown;
  /** Live progress; a throw aborts the import (nothing is saved). */
  onProgress?: (progress: ImportProgress) => void | Promise<void>;
  /** Tuning and tests: leads per statement, worker threads (0 = none), keyring, the clock, lease renewal interval. */
  options?: {
    batchSize?: number;
    workers?: number;
    keyring?: Keyring;
    now?: Date;
    leaseRenewMs?: number;
    maxRejectedRows?: number;
  };
}

export interface ImportSummary {
  importId: string;
  counts: ImportCounts;
  /** Rows not imported, each with its reason and original cells (the first MAX_REJECTED_ROWS of counts.invalid). */
  rejected: RejectedRow[];
  /** Rejected rows past the kept list: counted in counts.invalid, not listed (nor in the rejects CSV). */
  rejectedNotListed: number;
  /** Row-level notes on rows that were imported (first MAX_WARNINGS of warningCount). */
  warnings: string[];
  warningCount: number;
  /** Salesperson names that matched no team member; those leads are unassigned. */
  unmatchedSalespeople: { name: string; leads: number }[];
  headers: string[];
  encoding: TextEncodingName;
  delimiter: CsvDelimiter;
  durationMs: number;
  /** Worker threads that encrypted (0 = all in the calling thread). */
  encryptionThreads: number;
  /** The rejects CSV (original columns + reason), formulas neutralized. */
  rejectsCsv(): string;
}

const MAX_WARNINGS = 1_000;
/** Rejected rows kept for the download; a file with more gets a clear note instead of the rest. */
export const MAX_REJECTED_ROWS = 10_000;
/** How often a running import renews its lease; the database expires it after 60 s of silence. */
const LEASE_RENEW_MS = 5_000;

/** Renews the import's lease until stopped; a failed renewal is retried at the next tick. */
function keepLease(run: RunInScope<UserScope>, importId: string, everyMs: number): () => Promise<void> {
  let stopped = false;
  let pending: Promise<void> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    pending = run((scope) => renewImportLease(scope, importId))
      .catch(() => {})
      .then(() => {
        if (!stopped) timer = setTimeout(tick, everyMs);
      });
  };
  let timer: NodeJS.Timeout = setTimeout(tick, everyMs);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await pending;
  };
}
const CONSENT_SOURCE = "csv_import";

/** Imports a CRM export's leads into the runner's dealership as its user. See the module comment. */
export async function importLeadsFromCsv(input: ImportLeadsInput): Promise<ImportSummary> {
  const startedAt = performance.now();
  const keyring = input.options?.keyring ?? keyringFromEnv();
  const now = input.options?.now ?? new Date();
  const progress = async (p: ImportProgress) => input.onProgress?.(p);

  const file = await scanCsvAsync(input.source);
  const plan = planColumns(file.headers, input.mapping);
  const maxRejectedRows = input.options?.maxRejectedRows ?? MAX_REJECTED_ROWS;
  const mapping: ImportMapping = plan.mapping;
  const importId = randomUUID();

  // Worker threads start while the import record is written (they need the scope's dealership and region).
  const started: { executor?: Promise<ImportExecutor> } = {};
  const members: TeamMember[] = [];
  try {
    await input.run(async (scope) => {
      const { dealershipId } = scope;
      if (plan.single.salesperson !== undefined) members.push(...(await listTeamMembers(scope)));
      started.executor = startImportExecutor(
        {
          members: members.map(({ userId, email, displayName }) => ({ userId, email, displayName })),
          encrypt: { dealershipId, keyring, consentSource: CONSENT_SOURCE, nowIso: now.toISOString() },
          read: {
            scan: file,
            plan,
            // Phone numbers without a country code are read in the dealership's region (US if unknown to libphonenumber).
            defaultRegion: isSupportedCountry(scope.region) ? scope.region : "US",
            nowIso: now.toISOString(),
            dealershipId,
            keyring,
            maxWarnings: MAX_WARNINGS,
            batchSize: input.options?.batchSize ?? IMPORT_WRITE_BATCH_SIZE,
          },
          source: input.source,
        },
        input.options?.workers ?? defaultWorkerCount(file.totalRows),
      );
      return startImportRecord(
        scope,
        { id: importId, fileName: input.fileName, sizeBytes: file.sizeBytes, total: file.totalRows, mapping },
        keyring,
      );
    });
  } catch (err) {
    if (started.executor) await (await started.executor).close();
    throw toAppError(err); // e.g. not a member, or a rep (42501 → forbidden); nothing was written
  }

  const executor = await started.executor!;
  const stopLease = keepLease(input.run, importId, input.options?.leaseRenewMs ?? LEASE_RENEW_MS);
  try {
    const { counts, result } = await input.run(async (scope) => {
      const result = await writeLeads(scope, executor, {
        importId,
        keyring,
        now,
        members,
        consentSource: CONSENT_SOURCE,
        maxWarnings: MAX_WARNINGS,
        maxRejectedRows,
        totalRows: file.totalRows,
        lookupRun: input.run,
        onBatchWritten: (done, total) => progress({ phase: "writing", processed: done, total }),
      });
      const counts: ImportCounts = {
        total: result.total,
        imported: result.imported,
        updated: result.updated,
        duplicates: result.duplicates,
        invalid: result.invalid,
        suppressed: result.suppressed,
      };
      await completeImportRecord(scope, importId, counts);
      await saveImportMapping(scope, file.headers, mapping);
      return { counts, result };
    });
    await progress({ phase: "completed", processed: counts.total, total: counts.total });
    const rejectedNotListed = counts.invalid - result.rejected.length;
    const notListed =
      rejectedNotListed > 0
        ? `${counts.invalid.toLocaleString("en-US")} rows were rejected; the rejected-rows download lists the first ` +
          `${result.rejected.length.toLocaleString("en-US")} of them. Fix those, check the mapping and the file for the rest, and import again.`
        : null;

    return {
      importId,
      counts,
      rejected: result.rejected,
      rejectedNotListed,
      warnings: notListed ? [notListed, ...result.warnings] : result.warnings,
      warningCount: result.warningCount,
      unmatchedSalespeople: [...result.unmatchedSalespeople]
        .map(([name, leads]) => ({ name, leads }))
        .sort((a, b) => b.leads - a.leads),
      headers: file.headers,
      encoding: file.encoding,
      delimiter: file.delimiter,
      durationMs: Math.round(performance.now() - startedAt),
      encryptionThreads: executor.threads,
      rejectsCsv: () => buildRejectsCsv(file.headers, result.rejected, notListed),
    };
  } catch (err) {
    const safe = toAppError(err);
    await stopLease();
    try {
      await input.run((scope) => failImportRecord(scope, importId, safe.message, safe.code));
    } catch (recordErr) {
      // The record stays "processing" until its lease expires; no lead was committed either way.
      toAppError(recordErr);
    }
    throw new LeadImportFailedError(importId, safe);
  } finally {
    await stopLease();
    await executor.close();
  }
}
