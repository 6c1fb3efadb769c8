/**
 * CSV text → header and rows, with papaparse on the whole string (one pass, no per-row
 * callbacks). Delimiter (comma, semicolon, tab, pipe) is detected from the header line, quoted
 * newlines and doubled quotes are handled, duplicate and blank headers get unique names, and row
 * numbers are the ones a spreadsheet shows (header = row 1, blank lines counted).
 */
import Papa from "papaparse";
import { cleanCell } from "./clean-cell";
import { ImportFileError } from "./import-error";
import { MAX_IMPORT_COLUMNS, MAX_IMPORT_ROWS } from "./import-limits";

/** Delimiters a CRM export uses in practice. */
export type CsvDelimiter = "," | ";" | "\t" | "|";
const CANDIDATES: CsvDelimiter[] = [",", ";", "\t", "|"];

/** One data row: its spreadsheet row number and its cells, padded to the header's width. */
export interface CsvRow {
  rowNumber: number;
  cells: string[];
  /** Non-empty cells beyond the header's width (a value with an unquoted delimiter, usually). */
  extraCells: number;
}

export interface ParsedCsv {
  /** Unique, non-blank column names in file order. */
  headers: string[];
  rows: CsvRow[];
  delimiter: CsvDelimiter;
}

const SAMPLE_CHARS = 64 * 1024;

/**
 * The delimiter that splits the header into the most columns while keeping the first rows the
 * same width; "," when nothing splits (a one-column file).
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const truncated = text.length > SAMPLE_CHARS;
  const sample = text.slice(0, SAMPLE_CHARS);
  let best: { delimiter: CsvDelimiter; score: number } = { delimiter: ",", score: 0 };
  for (const delimiter of CANDIDATES) {
    const rows = Papa.parse<string[]>(sample, { delimiter, preview: 21, skipEmptyLines: "greedy" }).data;
    if (truncated && rows.length > 1) rows.pop(); // the last sampled row may be cut short
    const width = rows[0]?.length ?? 0;
    if (width < 2) continue;
    const body = rows.slice(1);
    const consistent = body.length === 0 ? 1 : body.filter((r) => r.length === width).length / body.length;
    // Consistency dominates; width breaks ties (a semicolon file may still contain commas in notes).
    const score = consistent * 1000 + Math.min(width, 999);
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

/** Blank headers become "Column N", repeats get " (2)", " (3)"…, so every column has a unique name. */
export function uniqueHeaders(raw: string[]): string[] {
  const seen = new Set<string>();
  return raw.map((cell, i) => {
    const base = cleanCell(cell) || `Column ${i + 1}`;
    let name = base;
    for (let n = 2; seen.has(name.toLowerCase()); n++) name = `${base} (${n})`;
    seen.add(name.toLowerCase());
    return name;
  });
}

const isBlank = (cells: string[]) => cells.every((c) => c.trim() === "");

/**
 * Parses decoded CSV text. Throws ImportFileError for an unclosed quote, a header-only file, or
 * more rows/columns than the limits allow.
 */
export function parseCsvText(text: string, delimiter: CsvDelimiter = detectDelimiter(text)): ParsedCsv {
  const result = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false });
  const unclosed = result.errors.find((e) => e.code === "MissingQuotes");
  if (unclosed) {
    const row = typeof unclosed.row === "number" ? ` in row ${unclosed.row + 1}` : "";
    throw new ImportFileError(
      "unclosed_quote",
      `A quoted value${row} is never closed, so the rest of the file cannot be read reliably. Fix the quotes and upload again.`,
    );
  }
  const data = result.data;
  let i = 0;
  while (i < data.length && isBlank(data[i]!)) i++;
  if (i === data.length) throw new ImportFileError("empty", "The file is empty.");
  const headers = uniqueHeaders(data[i]!);
  if (headers.length > MAX_IMPORT_COLUMNS) {
    throw new ImportFileError(
      "too_many_columns",
      `The file has ${headers.length} columns; at most ${MAX_IMPORT_COLUMNS} are supported.`,
    );
  }
  const width = headers.length;
  const rows: CsvRow[] = [];
  for (let r = i + 1; r < data.length; r++) {
    const cells = data[r]!;
    if (isBlank(cells)) continue;
    if (rows.length === MAX_IMPORT_ROWS) {
      throw new ImportFileError(
        "too_many_rows",
        `The file has more than ${MAX_IMPORT_ROWS.toLocaleString("en-US")} rows. Split it into smaller files and import them one after another.`,
      );
    }
    let extraCells = 0;
    if (cells.length > width) {
      for (let c = width; c < cells.length; c++) if (cells[c]!.trim() !== "") extraCells++;
      cells.length = width;
    } else {
      while (cells.length < width) cells.push("");
    }
    rows.push({ rowNumber: r + 1, cells, extraCells });
  }
  if (rows.length === 0) {
    throw new ImportFileError("header_only", "The file has a header row but no data rows.");
  }
  return { headers, rows, delimiter };
}
