/**
 * Validation of one batch of rows, plus each valid lead's phone blind index: the first CPU-heavy
 * step of an import, run in the calling thread in slices.
 */
import type { CountryCode } from "libphonenumber-js";
import { blindIndex } from "@/lib/crypto/blind-index";
import type { Keyring } from "@/lib/crypto/keyring";
import type { ColumnPlan } from "./column-plan";
import type { CsvRow } from "./parse-csv";
import { prepareRow, type PreparedLead } from "./prepare-row";

export interface PrepareTask {
  rows: CsvRow[];
  plan: ColumnPlan;
  defaultRegion: CountryCode;
  now: Date;
}

export interface PreparedChunk {
  leads: PreparedLead[];
  /** Phone blind index of each lead, same order. */
  phoneBidxes: string[];
  /** Index (in the task's rows) and reason of each rejected row. */
  rejected: { index: number; reason: string }[];
  /** The first warnings of the chunk (at most `maxWarnings`) and how many there were. */
  warnings: string[];
  warningCount: number;
}

/** Validates rows and computes each valid lead's phone blind index. */
export function runPrepareTask(
  task: PrepareTask,
  ctx: { dealershipId: string; keyring: Keyring; maxWarnings: number },
): PreparedChunk {
  const out: PreparedChunk = { leads: [], phoneBidxes: [], rejected: [], warnings: [], warningCount: 0 };
  task.rows.forEach((row, index) => {
    const outcome = prepareRow(row, task.plan, { defaultRegion: task.defaultRegion, now: task.now });
    if (!outcome.ok) return void out.rejected.push({ index, reason: outcome.reason });
    out.leads.push(outcome.lead);
    out.phoneBidxes.push(blindIndex("phone", outcome.lead.phone, ctx.dealershipId, ctx.keyring));
    out.warningCount += outcome.warnings.length;
    for (const w of outcome.warnings) if (out.warnings.length < ctx.maxWarnings) out.warnings.push(w);
  });
  return out;
}
