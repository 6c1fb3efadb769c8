/**
 * Key rotation: re-encrypt every envelope that is not under the active key, in batches. Each batch
 * is its own transaction and only rewrites a row if its envelopes are still the ones read, so the
 * job can be stopped and run again at any time (resumable, idempotent) while the app keeps writing.
 *
 * It runs as the database owner (a platform maintenance job, like a migration), not as a user.
 */
import type { Sql } from "postgres";
import { decryptField, encryptField, envelopeKeyId } from "./field-cipher";
import { ENCRYPTED_TABLES, type EncryptedTable } from "./encrypted-columns";
import type { Keyring } from "./keyring";

export interface RotationProgress {
  table: string;
  done: number;
  total: number;
}

export interface RotationOptions {
  batchSize?: number;
  /** Stop after this many batches (tests use it to simulate an interruption). */
  maxBatches?: number;
  onProgress?: (p: RotationProgress) => void;
  /** Rotate one dealership only (e.g. a tenant-by-tenant rollout; tests). */
  dealershipId?: string;
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** `$1` is the active key's envelope prefix, `$2` an optional dealership id. */
function staleCondition(spec: EncryptedTable): string {
  const stale = spec.columns.map((c) => `(${ident(c)} is not null and ${ident(c)} not like $1)`).join(" or ");
  return `(${stale}) and ($2::uuid is null or dealership_id = $2::uuid)`;
}

const staleParams = (keyring: Keyring, dealershipId?: string) => [`v1.${keyring.activeKeyId}.%`, dealershipId ?? null];

/** Rows of one table whose envelopes are not all under the active key. */
export async function countStaleRows(
  sql: Sql,
  spec: EncryptedTable,
  keyring: Keyring,
  dealershipId?: string,
): Promise<number> {
  const [row] = await sql.unsafe(
    `select count(*)::int as n from public.${ident(spec.table)} where ${staleCondition(spec)}`,
    staleParams(keyring, dealershipId),
  );
  return (row?.n as number) ?? 0;
}

async function rotateBatch(
  sql: Sql,
  spec: EncryptedTable,
  keyring: Keyring,
  batchSize: number,
  dealershipId?: string,
): Promise<number> {
  const cols = spec.columns.map(ident).join(", ");
  return sql.begin(async (tx) => {
    const rows = await tx.unsafe(
      `select id, dealership_id, ${cols} from public.${ident(spec.table)} where ${staleCondition(spec)}
       order by id limit ${batchSize} for update skip locked`,
      staleParams(keyring, dealershipId),
    );
    for (const row of rows) {
      const sets: string[] = [];
      // Every value is a string (ids and envelopes), so the parameter list is typed as such.
      const params: string[] = [row.id as string];
      for (const column of spec.columns) {
        const envelope = row[column] as string | null;
        if (!envelope || envelopeKeyId(envelope) === keyring.activeKeyId) continue;
        const ctx = { dealershipId: row.dealership_id as string, table: spec.table, column, rowId: row.id as string };
        params.push(encryptField(decryptField(envelope, ctx, keyring), ctx, keyring));
        sets.push(`${ident(column)} = $${params.length}`);
      }
      if (sets.length)
        await tx.unsafe(`update public.${ident(spec.table)} set ${sets.join(", ")} where id = $1`, params);
    }
    return rows.length;
  });
}

/** Re-encrypt every stale envelope of every encrypted table; returns rows rewritten per table. */
export async function rotateEncryptedColumns(
  sql: Sql,
  keyring: Keyring,
  opts: RotationOptions = {},
): Promise<Record<string, number>> {
  const batchSize = opts.batchSize ?? 500;
  let batches = 0;
  const rewritten: Record<string, number> = {};
  for (const spec of ENCRYPTED_TABLES) {
    const total = await countStaleRows(sql, spec, keyring, opts.dealershipId);
    let done = 0;
    opts.onProgress?.({ table: spec.table, done, total });
    while (done < total) {
      if (opts.maxBatches !== undefined && batches >= opts.maxBatches) return rewritten;
      const n = await rotateBatch(sql, spec, keyring, batchSize, opts.dealershipId);
      batches++;
      if (n === 0) break;
      done += n;
      rewritten[spec.table] = (rewritten[spec.table] ?? 0) + n;
      opts.onProgress?.({ table: spec.table, done: Math.min(done, total), total });
    }
  }
  return rewritten;
}
