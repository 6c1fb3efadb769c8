/**
 * lead_imports rows: started (status processing) in their own committed transaction before any
 * lead is written, then completed with counts in the import's transaction, or marked failed with
 * a safe message. The file name is encrypted: it can name a person. While an import runs it holds
 * a lease (heartbeat_at, refreshed every few seconds); a record whose lease expired belongs to a
 * process that died and is marked failed by expireStaleImports. The database audits each outcome.
 */
import { decryptOptional, encryptOptional } from "@/lib/crypto/field-cipher";
import type { Keyring } from "@/lib/crypto/keyring";
import type { UserScope } from "@/lib/db/scope";
import type { ImportMapping } from "./import-mapping.schema";

/** The counts an import reports; total = imported + updated + duplicates + invalid. */
export interface ImportCounts {
  total: number;
  imported: number;
  updated: number;
  duplicates: number;
  invalid: number;
  /** Imported or updated leads that are opted out or on the do-not-contact list. */
  suppressed: number;
}

export type LeadImportStatus = "processing" | "completed" | "failed";

export interface LeadImportRecord {
  id: string;
  createdBy: string | null;
  fileName: string | null;
  fileSizeBytes: number;
  status: LeadImportStatus;
  counts: ImportCounts;
  mapping: ImportMapping;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

const fileNameContext = (dealershipId: string, importId: string) => ({
  dealershipId,
  table: "lead_imports",
  column: "file_name_enc",
  rowId: importId,
});

/** Inserts the import's record as the current user (RLS: owners, admins, managers) in the scope's dealership. */
export async function startImportRecord(
  scope: UserScope,
  input: { id: string; fileName: string; sizeBytes: number; total: number; mapping: ImportMapping },
  keyring: Keyring,
): Promise<void> {
  const { sql, dealershipId } = scope;
  await expireStaleImports(scope);
  const fileNameEnc = encryptOptional(input.fileName.slice(0, 255), fileNameContext(dealershipId, input.id), keyring);
  await sql`
    insert into public.lead_imports (id, dealership_id, created_by, file_name_enc, file_size_bytes, status, total_count, mapping)
    values (${input.id}, ${dealershipId}, (select auth.uid()), ${fileNameEnc}, ${input.sizeBytes}, 'processing', ${input.total},
            ${sql.json(input.mapping)})`;
}

/** Marks the import completed with its counts (same transaction as the leads it wrote). */
export async function completeImportRecord(
  { sql, dealershipId }: UserScope,
  importId: string,
  counts: ImportCounts,
): Promise<void> {
  await sql`
    update public.lead_imports set
      status = 'completed', finished_at = now(), error = null, total_count = ${counts.total}, imported_count = ${counts.imported},
      updated_count = ${counts.updated}, duplicate_count = ${counts.duplicates}, invalid_count = ${counts.invalid},
      suppressed_count = ${counts.suppressed}
    where dealership_id = ${dealershipId} and id = ${importId}`;
}

/** Marks the import failed with a message that is safe to show (never a cell value or a database error) and its error code. */
export async function failImportRecord(
  { sql, dealershipId }: UserScope,
  importId: string,
  safeMessage: string,
  code: string,
): Promise<void> {
  await sql`
    update public.lead_imports set status = 'failed', finished_at = now(), error = ${safeMessage.slice(0, 500)}, failure_code = ${code},
      imported_count = 0, updated_count = 0, duplicate_count = 0, invalid_count = 0, suppressed_count = 0
    where dealership_id = ${dealershipId} and id = ${importId} and status = 'processing'`;
}

/** Refreshes the import's lease (its own short transaction; a finished import is left alone). */
export async function renewImportLease({ sql, dealershipId }: UserScope, importId: string): Promise<void> {
  await sql`update public.lead_imports set heartbeat_at = now() where dealership_id = ${dealershipId} and id = ${importId} and status = 'processing'`;
}

/** Marks the dealership's imports whose lease expired failed ("stopped unexpectedly"); returns how many. */
export async function expireStaleImports({ sql, dealershipId }: UserScope): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select public.expire_stale_lead_imports(${dealershipId}) as n`;
  return row?.n ?? 0;
}

interface ImportRow {
  id: string;
  dealership_id: string;
  created_by: string | null;
  file_name_enc: string | null;
  file_size_bytes: string | number;
  status: LeadImportStatus;
  total_count: number;
  imported_count: number;
  updated_count: number;
  duplicate_count: number;
  invalid_count: number;
  suppressed_count: number;
  mapping: ImportMapping;
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
}

function toRecord(r: ImportRow, keyring?: Keyring): LeadImportRecord {
  return {
    id: r.id,
    createdBy: r.created_by,
    fileName: decryptOptional(r.file_name_enc, fileNameContext(r.dealership_id, r.id), keyring),
    fileSizeBytes: Number(r.file_size_bytes),
    status: r.status,
    counts: {
      total: r.total_count,
      imported: r.imported_count,
      updated: r.updated_count,
      duplicates: r.duplicate_count,
      invalid: r.invalid_count,
      suppressed: r.suppressed_count,
    },
    mapping: r.mapping,
    error: r.error,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

/**
 * The dealership's imports, newest first (RLS: owners, admins, managers). Call expireStaleImports
 * first so an import whose process died shows as failed with its reason, not "processing" forever.
 */
export async function listLeadImports(
  { sql, dealershipId }: UserScope,
  limit = 50,
  keyring?: Keyring,
): Promise<LeadImportRecord[]> {
  const rows = await sql<ImportRow[]>`
    select * from public.lead_imports where dealership_id = ${dealershipId} order by started_at desc, id limit ${limit}`;
  return rows.map((r) => toRecord(r, keyring));
}
