/**
 * Reading and validating the file batch by batch, plus each valid lead's phone blind index: the
 * allocation-heaviest step of an import (parsing, cleaning, phone parsing). A plain reader over
 * plain data, so it runs unchanged on the import's worker thread (which reads the file itself and
 * sends each batch over) or in the calling thread.
 */
import type { CountryCode } from "libphonenumber-js";
import { blindIndex } from "@/lib/crypto/blind-index";
import type { Keyring } from "@/lib/crypto/keyring";
import type { ColumnPlan } from "./column-plan";
import type { CsvSource } from "./csv-source";
import type { CsvRow } from "./parse-csv";
import { prepareRow, type PreparedLead } from "./prepare-row";
import { csvRows, type CsvScan } from "./read-csv-file";
import type { RejectedRow } from "./rejects-csv";

/** What reading needs besides the file: sent to the reading thread once. */
export interface ReadContext {
  scan: CsvScan;
  plan: ColumnPlan;
  defaultRegion: CountryCode;
  nowIso: string;
  dealershipId: string;
  keyring: Keyring;
  maxWarnings: number;
  batchSize: number;
}

/** One batch of the file, validated. */
export interface PreparedBatch {
  /** Data rows read for this batch (valid and rejected). */
  rowsRead: number;
  leads: PreparedLead[];
  /** Phone blind index of each lead, same order. */
  phoneBidxes: string[];
  /** The batch's rejected rows with their cells. */
  rejected: RejectedRow[];
  /** The first warnings of the batch (at most `maxWarnings`) and how many there were. */
  warnings: string[];
  warningCount: number;
}

/** Validates rows and computes each valid lead's phone blind index. */
export function prepareRows(rows: readonly CsvRow[], ctx: ReadContext): PreparedBatch {
  const out: PreparedBatch = {
    rowsRead: rows.length,
    leads: [],
    phoneBidxes: [],
    rejected: [],
    warnings: [],
    warningCount: 0,
  };
  const now = new Date(ctx.nowIso);
  for (const row of rows) {
    const outcome = prepareRow(row, ctx.plan, { defaultRegion: ctx.defaultRegion, now });
    if (!outcome.ok) {
      out.rejected.push({ rowNumber: row.rowNumber, reason: outcome.reason, cells: row.cells });
      continue;
    }
    out.leads.push(outcome.lead);
    out.phoneBidxes.push(blindIndex("phone", outcome.lead.phone, ctx.dealershipId, ctx.keyring));
    out.warningCount += outcome.warnings.length;
    for (const w of outcome.warnings) if (out.warnings.length < ctx.maxWarnings) out.warnings.push(w);
  }
  return out;
}

/** The file's rows, a batch at a time, validated; `next` returns null past the last row. */
export function batchReader(source: CsvSource, ctx: ReadContext): { next(maxRows?: number): PreparedBatch | null } {
  const rows = csvRows(source, ctx.scan);
  return {
    next(maxRows = ctx.batchSize) {
      const batch: CsvRow[] = [];
      while (batch.length < maxRows) {
        const r = rows.next();
        if (r.done) break;
        batch.push(r.value);
      }
      return batch.length === 0 ? null : prepareRows(batch, ctx);
    },
  };
}
