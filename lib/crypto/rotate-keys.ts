/**
 * Key rotation: re-encrypt every envelope that is not under the active key, in batches; and, in
 * the same pass, convert rows still holding per-field envelopes into their table's record envelope
 * (a lead's ten field envelopes become one, lib/crypto/record-cipher.ts).
 *
 * Each batch is its own transaction over the next rows by id (locked while rewritten), so the job
 * can be stopped and run again at any time (resumable; a second run finds nothing: idempotent)
 * while the app keeps writing. A row that will not decrypt (tampered, or under a key no longer in
 * the keyring) is left exactly as it is and reported by id; the run goes on with the next.
 *
 * It runs as the database owner (a platform maintenance job, like a migration), not as a user.
 */
import type { Sql } from "postgres";
import { ENCRYPTED_TABLES, envelopeColumns, type EncryptedTable } from "./encrypted-columns";
import {
  DecryptionError,
  decryptField,
  encryptField,
  envelopeKeyId,
  type DecryptionFailureReason,
} from "./field-cipher";
import type { Keyring } from "./keyring";
import { decryptRecord, encryptRecord } from "./record-cipher";

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

/** A row left as it was because one of its envelopes would not decrypt (ids and reason only). */
export interface RotationFailure {
  table: string;
  id: string;
  reason: DecryptionFailureReason;
}

export interface RotationResult {
  /** Rows rewritten (re-encrypted and/or converted to the record shape), per table. */
  rewritten: Record<string, number>;
  /** Rows that could not be rewritten; they stay readable (or not) exactly as before. */
  failed: RotationFailure[];
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * `$1` is the active key's envelope prefix, `$2` an optional dealership id. A row is stale when an
 * envelope is under another key, or (record tables) when it still holds a legacy field column.
 */
function staleCondition(spec: EncryptedTable): string {
  const onOtherKey = (c: string) => `(${ident(c)} is not null and ${ident(c)} not like $1)`;
  const legacy = spec.record ? Object.values(spec.record.legacyFields).map((c) => `${ident(c)} is not null`) : [];
  const stale = [...(spec.record ? [onOtherKey(spec.record.column)] : []), ...legacy, ...spec.columns.map(onOtherKey)];
  return `(${stale.join(" or ")}) and ($2::uuid is null or dealership_id = $2::uuid)`;
}

const staleParams = (keyring: Keyring, dealershipId?: string) => [`v1.${keyring.activeKeyId}.%`, dealershipId ?? null];

/** Rows of one table that are not all under the active key or not yet in the record shape. */
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

type Row = Record<string, string | null>;

/** The new values of a stale row's columns (only those that change). Throws DecryptionError. */
function rewriteRow(spec: EncryptedTable, row: Row, keyring: Keyring): Record<string, string | null> {
  const ctxFor = (column: string) => ({
    dealershipId: row.dealership_id!,
    table: spec.table,
    column,
    rowId: row.id!,
  });
  const sets: Record<string, string | null> = {};
  if (spec.record) {
    const { column, legacyFields } = spec.record;
    const legacy = Object.entries(legacyFields).filter(([, c]) => row[c] !== null);
    const current = row[column];
    if (legacy.length > 0 || (current !== null && envelopeKeyId(current!) !== keyring.activeKeyId)) {
      const fields: Record<string, string | null> = current ? decryptRecord(current, ctxFor(column), keyring) : {};
      // The record wins over a legacy value of the same field (the database allows only one shape anyway).
      for (const [field, c] of legacy) fields[field] ??= decryptField(row[c]!, ctxFor(c), keyring);
      // In the legacy fields' order, as the app writes records.
      const ordered: Record<string, string | null> = {};
      for (const field of Object.keys(legacyFields)) ordered[field] = fields[field] ?? null;
      sets[column] = encryptRecord(ordered, ctxFor(column), keyring);
      for (const [, c] of legacy) sets[c] = null;
    }
  }
  for (const column of spec.columns) {
    const envelope = row[column];
    if (!envelope || envelopeKeyId(envelope) === keyring.activeKeyId) continue;
    sets[column] = encryptField(decryptField(envelope, ctxFor(column), keyring), ctxFor(column), keyring);
  }
  return sets;
}

/** One batch: the next stale rows after `afterId`; returns how many were read, rewritten and the last id. */
async function rotateBatch(
  sql: Sql,
  spec: EncryptedTable,
  keyring: Keyring,
  batchSize: number,
  afterId: string | null,
  failed: RotationFailure[],
  dealershipId?: string,
): Promise<{ read: number; rewritten: number; lastId: string | null }> {
  const cols = envelopeColumns(spec).map(ident).join(", ");
  return sql.begin(async (tx) => {
    const rows = await tx.unsafe<Row[]>(
      `select id::text, dealership_id::text, ${cols} from public.${ident(spec.table)}
       where ${staleCondition(spec)} and ($3::uuid is null or id > $3::uuid)
       order by id limit ${batchSize} for update`,
      [...staleParams(keyring, dealershipId), afterId],
    );
    const updates: Promise<unknown>[] = [];
    for (const row of rows) {
      let sets: Record<string, string | null>;
      try {
        sets = rewriteRow(spec, row, keyring);
      } catch (err) {
        if (!(err instanceof DecryptionError)) throw err;
        failed.push({ table: spec.table, id: row.id!, reason: err.reason });
        continue;
      }
      const columns = Object.keys(sets);
      if (columns.length === 0) continue;
      const assignments = columns.map((c, i) => `${ident(c)} = $${i + 2}`).join(", ");
      // Pipelined on the transaction's connection: one round trip for the batch, not one per row.
      updates.push(
        tx.unsafe(`update public.${ident(spec.table)} set ${assignments} where id = $1`, [
          row.id!,
          ...columns.map((c) => sets[c]!),
        ] as string[]),
      );
    }
    await Promise.all(updates);
    return { read: rows.length, rewritten: updates.length, lastId: rows.at(-1)?.id ?? afterId };
  });
}

/**
 * Re-encrypt every stale envelope of every encrypted table to the active key and convert legacy
 * rows to their record shape. Rows that will not decrypt are skipped and listed in `failed`.
 */
export async function rotateEncryptedColumns(
  sql: Sql,
  keyring: Keyring,
  opts: RotationOptions = {},
): Promise<RotationResult> {
  const batchSize = opts.batchSize ?? 500;
  let batches = 0;
  const result: RotationResult = { rewritten: {}, failed: [] };
  for (const spec of ENCRYPTED_TABLES) {
    const total = await countStaleRows(sql, spec, keyring, opts.dealershipId);
    let done = 0;
    let afterId: string | null = null;
    opts.onProgress?.({ table: spec.table, done, total });
    for (;;) {
      if (opts.maxBatches !== undefined && batches >= opts.maxBatches) return result;
      const batch = await rotateBatch(sql, spec, keyring, batchSize, afterId, result.failed, opts.dealershipId);
      batches++;
      if (batch.read === 0) break;
      afterId = batch.lastId;
      done += batch.read;
      if (batch.rewritten > 0) result.rewritten[spec.table] = (result.rewritten[spec.table] ?? 0) + batch.rewritten;
      // Rows written meanwhile can make the first count low; the bar never runs past its end.
      opts.onProgress?.({ table: spec.table, done: Math.min(done, total), total: Math.max(done, total) });
    }
  }
  return result;
}
