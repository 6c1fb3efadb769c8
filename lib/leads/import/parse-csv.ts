/**
 * CSV text → header and rows, with papaparse's parser, on the whole text or piece by piece (a file
 * streamed in chunks gives the same rows as the whole text). Delimiter (comma, semicolon, tab,
 * pipe) is detected from the header line, quoted newlines and doubled quotes are handled,
 * duplicate and blank headers get unique names, and row numbers are the ones a spreadsheet shows
 * (header = row 1, blank lines counted).
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

/** The line ending papaparse would guess (quoted text ignored): the one most records end with. */
export function guessNewline(text: string): "\n" | "\r\n" | "\r" {
  const sample = text.slice(0, 1024 * 1024).replace(/"[^]*?"/g, "");
  const r = sample.split("\r");
  const n = sample.split("\n");
  if (r.length === 1 || (n.length > 1 && n[0]!.length < r[0]!.length)) return "\n";
  const withN = r.filter((part) => part[0] === "\n").length;
  return withN >= r.length / 2 ? "\r\n" : "\r";
}

/** A record longer than this is not a CRM row: almost certainly a quote that is never closed. */
const MAX_RECORD_CHARS = 4 * 1024 * 1024;

const unclosedQuote = (row: number | null) =>
  new ImportFileError(
    "unclosed_quote",
    `A quoted value${row === null ? "" : ` in row ${row}`} is never closed, so the rest of the file cannot be read reliably. Fix the quotes and upload again.`,
  );

/**
 * CSV text, fed in pieces, → records (arrays of raw cells), exactly as papaparse splits the whole
 * text: each piece is parsed up to its last complete record and the rest is carried into the next
 * (what papaparse's own streaming does). `recordIndex` counts every record, blank ones included.
 */
export class CsvRecordSplitter {
  private carry = "";
  /** Index (0-based, in the whole text) of the next record returned. */
  recordIndex = 0;
  constructor(
    private readonly delimiter: CsvDelimiter,
    private readonly newline: string,
  ) {}

  /** The complete records in what has been pushed so far; `last` ends the text. */
  push(text: string, last: boolean): string[][] {
    const input = this.carry === "" ? text : this.carry + text;
    const parser = new Papa.Parser({ delimiter: this.delimiter, newline: this.newline as "\n" });
    const result = parser.parse(input, 0, !last) as Papa.ParseResult<string[]>;
    const unclosed = result.errors.find((e) => e.code === "MissingQuotes");
    if (unclosed) throw unclosedQuote(typeof unclosed.row === "number" ? this.recordIndex + unclosed.row + 1 : null);
    this.carry = last ? "" : input.slice(result.meta.cursor);
    if (this.carry.length > MAX_RECORD_CHARS) throw unclosedQuote(this.recordIndex + result.data.length + 1);
    this.recordIndex += result.data.length;
    return result.data;
  }
}

/**
 * Records → header and data rows, record by record: finds the header (first non-blank record),
 * gives every row the header's width and its spreadsheet row number, skips blank rows, and
 * enforces the row and column limits.
 */
export class CsvRowShaper {
  headers: string[] | null = null;
  rowCount = 0;

  /** The data rows among these records (the first of which has index `firstIndex`). */
  take(records: string[][], firstIndex: number): CsvRow[] {
    const rows: CsvRow[] = [];
    for (let k = 0; k < records.length; k++) {
      const cells = records[k]!;
      if (isBlank(cells)) continue;
      if (this.headers === null) {
        this.headers = uniqueHeaders(cells);
        if (this.headers.length > MAX_IMPORT_COLUMNS) {
          throw new ImportFileError(
            "too_many_columns",
            `The file has ${this.headers.length} columns; at most ${MAX_IMPORT_COLUMNS} are supported.`,
          );
        }
        continue;
      }
      if (this.rowCount === MAX_IMPORT_ROWS) {
        throw new ImportFileError(
          "too_many_rows",
          `The file has more than ${MAX_IMPORT_ROWS.toLocaleString("en-US")} rows. Split it into smaller files and import them one after another.`,
        );
      }
      this.rowCount++;
      const width = this.headers.length;
      let extraCells = 0;
      if (cells.length > width) {
        for (let c = width; c < cells.length; c++) if (cells[c]!.trim() !== "") extraCells++;
        cells.length = width;
      } else {
        while (cells.length < width) cells.push("");
      }
      rows.push({ rowNumber: firstIndex + k + 1, cells, extraCells });
    }
    return rows;
  }

  /** Throws for a file without a header or without data rows. */
  finish(): void {
    if (this.headers === null) throw new ImportFileError("empty", "The file is empty.");
    if (this.rowCount === 0) throw new ImportFileError("header_only", "The file has a header row but no data rows.");
  }
}

/**
 * Parses decoded CSV text. Throws ImportFileError for an unclosed quote, a header-only file, or
 * more rows/columns than the limits allow.
 */
export function parseCsvText(text: string, delimiter: CsvDelimiter = detectDelimiter(text)): ParsedCsv {
  const splitter = new CsvRecordSplitter(delimiter, guessNewline(text));
  const shaper = new CsvRowShaper();
  const rows = shaper.take(splitter.push(text, true), 0);
  shaper.finish();
  return { headers: shaper.headers!, rows, delimiter };
}
