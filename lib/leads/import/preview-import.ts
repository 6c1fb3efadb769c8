/**
 * The review step before an import: what was read from the file, the mapping on offer, and the
 * first rows as they would be imported, each with its problems. Pure and synchronous; runs the
 * same reading and row validation as the import itself, and reads only the rows it shows (after
 * the scan that checks the whole file).
 */
import type { CountryCode } from "libphonenumber-js";
import { planColumns, type ColumnPlan } from "./column-plan";
import type { TextEncodingName } from "./decode-text";
import { ImportFileError } from "./import-error";
import type { ImportMapping } from "./import-mapping.schema";
import type { CsvDelimiter, CsvRow } from "./parse-csv";
import { prepareRow, type PreparedLead } from "./prepare-row";
import type { CsvSource } from "./csv-source";
import { csvRows, scanCsv, type CsvScan } from "./read-csv-file";
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
  source: CsvSource,
  opts: { mapping?: ImportMapping; defaultRegion?: CountryCode; limit?: number; now?: Date; scan?: CsvScan } = {},
): ImportPreview {
  const file = opts.scan ?? scanCsv(source);
  const mapping = opts.mapping ?? suggestMapping(file.headers);
  let plan: ColumnPlan | null = null;
  let mappingError: string | null = null;
  try {
    plan = planColumns(file.headers, mapping);
  } catch (err) {
    if (!(err instanceof ImportFileError)) throw err;
    mappingError = err.message;
  }
  const first: CsvRow[] = [];
  const limit = opts.limit ?? 20;
  if (limit > 0) {
    for (const row of csvRows(source, file)) if (first.push(row) >= limit) break;
  }
  const rows = first.map((row): PreviewRow => {
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
    totalRows: file.totalRows,
    mapping,
    mappingError,
    rows,
  };
}
