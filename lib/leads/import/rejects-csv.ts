/**
 * The rejected rows as a CSV to download, fix and import again: the original columns plus a
 * "reason" column. Cells that a spreadsheet would run as a formula (= + - @, tab, CR) get a
 * leading single quote, so opening the file never executes anything.
 */
import Papa from "papaparse";

export interface RejectedRow {
  rowNumber: number;
  reason: string;
  /** The row's cells as read from the file, one per header. */
  cells: string[];
}

// papaparse's own escapeFormulae regex misses multi-line cells ("=cmd\n…"); this one does not.
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * The rejects CSV (UTF-8 with BOM so Excel reads accents right, CRLF line ends). `note`, when
 * given (more rows were rejected than listed), is a last row with only a reason.
 */
export function buildRejectsCsv(
  headers: readonly string[],
  rejected: readonly RejectedRow[],
  note: string | null = null,
): string {
  const reasonHeader = headers.includes("reason") ? "import reason" : "reason";
  const data = rejected.map((r) => [...r.cells, r.reason]);
  if (note) data.push([...headers.map(() => ""), note]);
  const csv = Papa.unparse(
    { fields: [...headers, reasonHeader], data },
    { escapeFormulae: FORMULA_START, newline: "\r\n" },
  );
  return `\uFEFF${csv}\r\n`;
}
