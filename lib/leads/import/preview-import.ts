/**
 * The review step before an import: what was read from the file, the mapping on offer, and the
 * first rows as they would be imported, each with its problems. Pure and synchronous; runs the
 * same reading and row validation as the import itself.
 */
import type { CountryCode } from "libphonenumber-js";
import { planColumns, type ColumnPlan } from "./column-plan";
import type { TextEncodingName } from "./decode-text";
import { ImportFileError } from "./import-error";
import type { ImportMapping } from "./import-mapping.schema";
import type { CsvDelimiter } from "./parse-csv";
import { prepareRow, type PreparedLead } from "./prepare-row";
import { readCsvFile } from "./read-csv-file";
import { suggestMapping } from "./suggest-mapping";

export interface PreviewRow {
  rowNumber: number;
  cells: string[];
  /** The lead as it would be stored, or null when the row would be rejected or nothing is mapped. */
  lead: PreparedLead | null;
  /** The rejection reason and any warnings, e.g. "row 4: not a valid US phone number (Cell Phone)". */
  problems: string[];
}

export interface ImportPreview {
  headers: string[];
  encoding: TextEncodingName;
  delimiter: CsvDelimiter;
  totalRows: number;
  /** The mapping used for the rows below (given, else suggested from the headers). */
  mapping: ImportMapping;
  /** Why the mapping cannot be used as is (e.g. no phone column), or null. */
  mappingError: string | null;
  rows: PreviewRow[];
}

/**
 * Reads the file and validates its first `limit` rows under `mapping` (default: the suggestion
 * for its headers). Throws ImportFileError only for a file that cannot be imported at all.
 */
export function previewCsvImport(
  bytes: Uint8Array,
  opts: { mapping?: ImportMapping; defaultRegion?: CountryCode; limit?: number; now?: Date } = {},
): ImportPreview {
  const file = readCsvFile(bytes);
  const mapping = opts.mapping ?? suggestMapping(file.headers);
  let plan: ColumnPlan | null = null;
  let mappingError: string | null = null;
  try {
    plan = planColumns(file.headers, mapping);
  } catch (err) {
    if (!(err instanceof ImportFileError)) throw err;
    mappingError = err.message;
  }
  const rows = file.rows.slice(0, opts.limit ?? 20).map((row): PreviewRow => {
    if (!plan) return { rowNumber: row.rowNumber, cells: row.cells, lead: null, problems: [] };
    const outcome = prepareRow(row, plan, { defaultRegion: opts.defaultRegion ?? "US", now: opts.now });
    return outcome.ok
      ? { rowNumber: row.rowNumber, cells: row.cells, lead: outcome.lead, problems: outcome.warnings }
      : { rowNumber: row.rowNumber, cells: row.cells, lead: null, problems: [outcome.reason] };
  });
  return {
    headers: file.headers,
    encoding: file.encoding,
    delimiter: file.delimiter,
    totalRows: file.rows.length,
    mapping,
    mappingError,
    rows,
  };
}
