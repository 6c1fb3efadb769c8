/**
 * Column mappings saved per dealership and file shape, so the next export from the same CRM
 * report is mapped the way the dealership last confirmed.
 */
import type { UserScope } from "@/lib/db/scope";
import { importMappingSchema, type ImportMapping } from "./import-mapping.schema";
import { headerFingerprint, suggestMapping } from "./suggest-mapping";

/** The mapping saved for files with these headers, or null; headers no longer present are dropped. */
export async function findSavedMapping(
  { sql, dealershipId }: UserScope,
  headers: readonly string[],
): Promise<ImportMapping | null> {
  const [row] = await sql<{ mapping: unknown }[]>`
    select mapping from public.import_mappings
    where dealership_id = ${dealershipId} and shape_fingerprint = ${headerFingerprint(headers)}`;
  const parsed = importMappingSchema.safeParse(row?.mapping);
  if (!parsed.success) return null;
  const present = new Set(headers);
  return Object.fromEntries(Object.entries(parsed.data).filter(([h]) => present.has(h)));
}

/** Saves (or replaces) the dealership's mapping for files with these headers. */
export async function saveImportMapping(
  { sql, dealershipId }: UserScope,
  headers: readonly string[],
  mapping: ImportMapping,
): Promise<void> {
  const valid = importMappingSchema.parse(mapping);
  await sql`
    insert into public.import_mappings (dealership_id, shape_fingerprint, mapping, updated_by)
    values (${dealershipId}, ${headerFingerprint(headers)}, ${sql.json(valid)}, (select auth.uid()))
    on conflict (dealership_id, shape_fingerprint)
    do update set mapping = excluded.mapping, updated_by = excluded.updated_by`;
}

/** The mapping to offer for a file: the one saved for its shape, else the automatic suggestion. */
export async function mappingForHeaders(
  scope: UserScope,
  headers: readonly string[],
): Promise<{ mapping: ImportMapping; saved: boolean }> {
  const saved = await findSavedMapping(scope, headers);
  return saved ? { mapping: saved, saved: true } : { mapping: suggestMapping(headers), saved: false };
}
