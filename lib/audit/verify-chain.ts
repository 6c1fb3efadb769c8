/**
 * Independent check of the audit log's hash chains (npm run audit:verify). The database links
 * each row to the previous one of its dealership (private.audit_chain_link, migration
 * 20261130050000); this module recomputes every hash in Node from the stored columns, so a row
 * edited, removed or moved by someone with direct database access (who can bypass the triggers)
 * is reported. Rows are read through a cursor, so memory stays flat however long the log.
 */
import { createHash } from "node:crypto";
import type { Sql } from "postgres";

/** One break in a dealership's chain. Never contains the row's contents (metadata holds no PII, but stays out of logs). */
export interface ChainProblem {
  dealershipId: string;
  kind: "edited" | "missing" | "reordered" | "broken_link" | "tail_missing" | "unchained";
  /** The position in the chain where the problem shows (the row's chain_seq, or the expected one). */
  chainSeq: number | null;
  /** The audit row's id, when a row is at fault. */
  rowId: string | null;
  message: string;
}

/** What a verification found. */
export interface ChainReport {
  dealerships: number;
  rows: number;
  problems: ChainProblem[];
}

interface Head {
  dealership_id: string;
  last_seq: string;
  last_hash: string;
  anchor_seq: string;
  anchor_prev_hash: string;
}

interface Row {
  id: string;
  dealership_id: string;
  chain_seq: string | null;
  actor_user_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  metadata: string;
  created_us: string;
  prev_hash: string | null;
  row_hash: string | null;
}

/**
 * The canonical text a row's hash covers; the same rule as private.audit_canonical_text: each
 * field as "<UTF-8 byte length>:<text>" or "-" for null, joined by "|".
 */
export function auditCanonicalText(fields: readonly (string | null)[]): string {
  return fields.map((f) => (f === null ? "-" : `${Buffer.byteLength(f, "utf8")}:${f}`)).join("|");
}

const sha256Hex = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** Verify the chain of one dealership, or of every dealership when dealershipId is omitted. */
export async function verifyAuditChains(sql: Sql, dealershipId?: string): Promise<ChainReport> {
  const filter = dealershipId ? sql`where dealership_id = ${dealershipId}` : sql``;
  const heads = await sql<Head[]>`
    select dealership_id::text, last_seq::text, encode(last_hash, 'hex') as last_hash,
           anchor_seq::text, encode(anchor_prev_hash, 'hex') as anchor_prev_hash
    from private.audit_chain_heads ${filter}`;
  const headOf = new Map(heads.map((h) => [h.dealership_id, h]));
  const report: ChainReport = { dealerships: 0, rows: 0, problems: [] };
  const problem = (p: ChainProblem) => report.problems.push(p);

  let current: string | null = null;
  let expectedSeq = 0;
  let expectedPrev = "";
  const seen = new Set<string>();
  const finish = () => {
    if (current === null) return;
    const head = headOf.get(current);
    if (!head) return;
    if (expectedSeq - 1 !== Number(head.last_seq) || expectedPrev !== head.last_hash) {
      problem({
        dealershipId: current,
        kind: "tail_missing",
        chainSeq: Number(head.last_seq),
        rowId: null,
        message: `the chain ends at position ${expectedSeq - 1} but its head records position ${head.last_seq}: rows were removed from the end`,
      });
    }
  };

  const cursor = sql<Row[]>`
    select id::text, dealership_id::text, chain_seq::text, actor_user_id::text, action, target_type, target_id,
           metadata::text as metadata, (extract(epoch from created_at) * 1000000)::bigint::text as created_us,
           encode(prev_hash, 'hex') as prev_hash, encode(row_hash, 'hex') as row_hash
    from public.audit_events e ${filter}
    -- The table's columns, not the text outputs of the same names (which would sort "10" before "2").
    order by e.dealership_id, e.chain_seq nulls last, e.id`.cursor(1000);
  for await (const rows of cursor) {
    for (const r of rows) {
      report.rows++;
      if (r.dealership_id !== current) {
        finish();
        current = r.dealership_id;
        seen.add(current);
        report.dealerships++;
        const head = headOf.get(current);
        expectedSeq = head ? Number(head.anchor_seq) : 1;
        expectedPrev = head ? head.anchor_prev_hash : "";
      }
      const at = { dealershipId: r.dealership_id, rowId: r.id };
      if (r.chain_seq === null || r.row_hash === null || r.prev_hash === null) {
        problem({ ...at, kind: "unchained", chainSeq: null, message: `row ${r.id} is not part of the chain` });
        continue;
      }
      const seq = Number(r.chain_seq);
      if (seq > expectedSeq) {
        problem({
          ...at,
          kind: "missing",
          chainSeq: expectedSeq,
          message: `positions ${expectedSeq}..${seq - 1} are missing before row ${r.id}: rows were deleted`,
        });
      } else if (seq < expectedSeq) {
        problem({ ...at, kind: "reordered", chainSeq: seq, message: `row ${r.id} repeats position ${seq}` });
      }
      const computed = sha256Hex(
        auditCanonicalText([
          r.dealership_id,
          r.chain_seq,
          r.id,
          r.actor_user_id,
          r.action,
          r.target_type,
          r.target_id,
          r.metadata,
          r.created_us,
          r.prev_hash,
        ]),
      );
      if (computed !== r.row_hash) {
        problem({
          ...at,
          kind: "edited",
          chainSeq: seq,
          message: `row ${r.id} at position ${seq} does not match its hash: it was edited or moved`,
        });
      } else if (r.prev_hash !== expectedPrev && seq === expectedSeq) {
        problem({
          ...at,
          kind: "broken_link",
          chainSeq: seq,
          message: `row ${r.id} at position ${seq} does not chain from the row before it: rows were replaced or reordered`,
        });
      }
      expectedSeq = seq + 1;
      expectedPrev = r.row_hash;
    }
  }
  finish();
  // A head whose dealership has no rows left: every row of its chain was deleted.
  for (const head of heads) {
    if (!seen.has(head.dealership_id) && Number(head.last_seq) >= Number(head.anchor_seq)) {
      problem({
        dealershipId: head.dealership_id,
        kind: "tail_missing",
        chainSeq: Number(head.last_seq),
        rowId: null,
        message: `all ${Number(head.last_seq) - Number(head.anchor_seq) + 1} kept rows of this chain are missing`,
      });
    }
  }
  return report;
}
