/**
 * The CPU half of an import, on whichever thread runs it (the import's worker thread, or the
 * calling thread for small files): read the file a batch at a time, validate it, and, once the
 * writer has decided what each valid row becomes, merge duplicates and encrypt the new leads into
 * the rows the writer COPYs.
 *
 * The batch's leads stay here between the two steps; the writer only ever receives what it needs
 * to decide (each lead's phone blind index, the batch's source labels) and what it writes (the
 * COPY rows, and the few leads that fill known ones). On the worker thread that keeps the rows' text
 * and garbage in a heap with a hard limit, and the calling thread's heap small and short-lived.
 */
import { randomUUID } from "node:crypto";
import type { TeamMember } from "@/lib/dealerships/team";
import { normalizeSourceLabel } from "@/lib/leads/lead-sources";
import type { CsvSource } from "./csv-source";
import { runEncryptTask, type EncryptContext, type NewLeadItem } from "./encrypt-task";
import { applyFillToLead, planFill, stateOfNewLead } from "./lead-fill";
import { batchReader, type ReadContext } from "./prepare-task";
import type { PreparedLead } from "./prepare-row";
import type { RejectedRow } from "./rejects-csv";
import { salespersonMatcher } from "./salesperson-matcher";

/** Everything the workshop needs besides the file; sent to the worker thread once. */
export interface WorkshopContext {
  read: ReadContext;
  encrypt: EncryptContext;
  /** The dealership's members, to match the file's salesperson names. */
  members: Pick<TeamMember, "userId" | "email" | "displayName">[];
}

/** What the writer sees of a validated batch. */
export interface BatchForDecision {
  /** Identifies the batch in `finish`. */
  seq: number;
  rowsRead: number;
  /** Each valid lead's phone blind index, in file order (the index is the lead's number in the batch). */
  phoneBidxes: string[];
  rejected: RejectedRow[];
  warnings: string[];
  warningCount: number;
  /** The source labels of the batch's valid leads, distinct. */
  sourceLabels: string[];
}

/** What the writer decided for a batch's valid leads (by their number in the batch). */
export interface BatchDecisions {
  seq: number;
  /** New leads. */
  inserts: number[];
  /** Duplicates of a new lead of the same batch: [duplicate, new lead], applied in order before encrypting. */
  merges: [number, number][];
  /** Leads the writer fills known leads with (it gets them back). */
  refills: number[];
  /** Source ids of the labels the new leads name, by normalized label. */
  sourceIds: [string, string][];
}

/** A batch ready to write. */
export interface FinishedBatch {
  /**
   * The new leads, encrypted, as COPY rows (encrypt-task.ts), as bytes: from the worker they are
   * transferred, not copied, and they go to Postgres as they are, never becoming a string.
   */
  insertRows: Uint8Array;
  /** The phone blind index of each new lead whose consent is opted out. */
  optedOut: string[];
  /** The leads asked for in `refills`, in that order. */
  refills: PreparedLead[];
  /** Salesperson names of new leads that matched no member, with counts. */
  unmatched: [string, number][];
}

// The first batch is this much smaller than the rest.
const FIRST_BATCH_DIVISOR = 5;

/** See the module comment. */
export function importWorkshop(source: CsvSource, ctx: WorkshopContext) {
  const reader = batchReader(source, ctx.read);
  const matchSalesperson = salespersonMatcher(ctx.members);
  const open = new Map<number, { leads: PreparedLead[]; bidxes: string[] }>();
  let seq = 0;

  return {
    /** The next batch for the writer to decide on, or null past the end of the file. */
    next(): BatchForDecision | null {
      // A small first batch: Postgres, which writes the batches in order, gets its first one sooner.
      const batch = reader.next(seq === 0 ? Math.ceil(ctx.read.batchSize / FIRST_BATCH_DIVISOR) : undefined);
      if (!batch) return null;
      const id = seq++;
      open.set(id, { leads: batch.leads, bidxes: batch.phoneBidxes });
      const labels = new Set<string>();
      for (const lead of batch.leads) if (lead.source !== null) labels.add(lead.source);
      return {
        seq: id,
        rowsRead: batch.rowsRead,
        phoneBidxes: batch.phoneBidxes,
        rejected: batch.rejected,
        warnings: batch.warnings,
        warningCount: batch.warningCount,
        sourceLabels: [...labels],
      };
    },

    /** Applies the writer's decisions to a batch and encrypts its new leads; forgets the batch. */
    finish(d: BatchDecisions): FinishedBatch {
      const batch = open.get(d.seq);
      if (!batch) throw new Error(`import batch ${d.seq} is not open`);
      open.delete(d.seq);
      const unmatched = new Map<string, number>();
      const assigneeOf = (lead: PreparedLead): string | null => {
        if (lead.salesperson === null) return null;
        const id = matchSalesperson(lead.salesperson);
        if (id === null) unmatched.set(lead.salesperson, (unmatched.get(lead.salesperson) ?? 0) + 1);
        return id;
      };
      const items = new Map<number, NewLeadItem>();
      const sourceIds = new Map(d.sourceIds);
      for (const k of d.inserts) {
        const lead = batch.leads[k]!;
        items.set(k, { id: randomUUID(), lead, phoneBidx: batch.bidxes[k]!, assignee: assigneeOf(lead) });
      }
      for (const [dup, into] of d.merges) {
        const item = items.get(into)!;
        const lead = batch.leads[dup]!;
        const fill = planFill(
          stateOfNewLead(item.id, item.lead, item.assignee),
          lead,
          item.assignee ? null : assigneeOf(lead),
        );
        if (!fill) continue;
        applyFillToLead(item.lead, fill);
        item.assignee ??= fill.assignee;
      }
      const all = [...items.values()];
      for (const item of all) {
        const normalized = item.lead.source === null ? null : normalizeSourceLabel(item.lead.source);
        item.sourceId = normalized === null ? null : (sourceIds.get(normalized) ?? null);
      }
      return {
        insertRows: runEncryptTask(all, ctx.encrypt),
        optedOut: all.filter((i) => i.lead.consent === "opted_out").map((i) => i.phoneBidx),
        refills: d.refills.map((k) => batch.leads[k]!),
        unmatched: [...unmatched],
      };
    },
  };
}
