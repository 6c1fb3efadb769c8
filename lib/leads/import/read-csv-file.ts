/**
 * Everything that can refuse a file before anything is written (size limit, content sniffing,
 * decoding, parsing, row and column limits), and then its rows, a chunk at a time.
 *
 * A file is read twice, never held whole: scanCsv reads it once to check it and learn its shape
 * (encoding, delimiter, headers, row count), so a bad file is refused before the import writes
 * anything; csvRows then yields its rows one chunk (256 KB) at a time for the import to consume.
 * Peak memory is one chunk and the rows in flight, whatever the file's size.
 */
import { chunkDecoder, encodingFromBom, assertTextSample, type TextEncodingName } from "./decode-text";
import { ImportFileError } from "./import-error";
import { MAX_IMPORT_BYTES } from "./import-limits";
import { csvSourceChunks, csvSourceSize, type CsvSource } from "./csv-source";
import {
  CsvRecordSplitter,
  CsvRowShaper,
  detectDelimiter,
  guessNewline,
  type CsvDelimiter,
  type CsvRow,
  type ParsedCsv,
} from "./parse-csv";
import { assertLooksLikeCsv } from "./sniff-content";

/** What scanCsv learned about a file: enough to read its rows and to show and record it. */
export interface CsvScan {
  headers: string[];
  delimiter: CsvDelimiter;
  newline: string;
  encoding: TextEncodingName;
  sizeBytes: number;
  /** Data rows (blank rows not counted). */
  totalRows: number;
}

export interface CsvFile extends ParsedCsv {
  encoding: TextEncodingName;
  sizeBytes: number;
}

// Text gathered before the delimiter and line ending are guessed (as detectDelimiter samples).
const LAYOUT_SAMPLE_CHARS = 64 * 1024;
const SAVE_AS_CSV = "Open it in your spreadsheet program, choose Save As → CSV, and upload that file.";

/** Decoded text of the source, a chunk at a time; the first piece is at least LAYOUT_SAMPLE_CHARS long when the file is. */
function* textPieces(source: CsvSource, encoding: TextEncodingName, fatal: boolean): Generator<string> {
  const decode = chunkDecoder(encoding, fatal);
  const utf16 = encoding === "utf-16le" || encoding === "utf-16be";
  let head = "";
  let headDone = false;
  let pending: Uint8Array | null = null;
  const emit = function* (bytes: Uint8Array, last: boolean): Generator<string> {
    // UTF-16 text is full of NUL bytes by design; any other text has none.
    if (!utf16 && bytes.indexOf(0) !== -1) {
      throw new ImportFileError("not_csv", `This file contains binary data, not CSV text. ${SAVE_AS_CSV}`);
    }
    const text = decode(bytes, last);
    if (headDone) {
      yield text;
      return;
    }
    head += text;
    if (head.length >= LAYOUT_SAMPLE_CHARS || last) {
      headDone = true;
      yield head;
      head = "";
    }
  };
  // One chunk of look-ahead, so the last chunk is known as last (the decoder must be told).
  for (const chunk of csvSourceChunks(source)) {
    if (pending) yield* emit(pending, false);
    pending = chunk;
  }
  yield* emit(pending ?? new Uint8Array(), true);
}

/** The first bytes of the source (enough for every signature content sniffing knows). */
function firstBytes(source: CsvSource): Uint8Array {
  const chunks = csvSourceChunks(source, 64);
  try {
    const first = chunks.next();
    return first.done ? new Uint8Array() : first.value;
  } finally {
    chunks.return(undefined); // closes a file source
  }
}

interface Layout {
  delimiter: CsvDelimiter;
  newline: string;
}

/** Records of the source's text, with the index of each piece's first record. */
function* recordPieces(
  source: CsvSource,
  encoding: TextEncodingName,
  fatal: boolean,
  onLayout: (layout: Layout, head: string) => void,
): Generator<{ records: string[][]; firstIndex: number }> {
  let splitter: CsvRecordSplitter | null = null;
  const pieces = textPieces(source, encoding, fatal);
  let next = pieces.next();
  while (!next.done) {
    const text = next.value;
    next = pieces.next();
    if (!splitter) {
      const layout = { delimiter: detectDelimiter(text), newline: guessNewline(text) };
      onLayout(layout, text);
      splitter = new CsvRecordSplitter(layout.delimiter, layout.newline);
    }
    const firstIndex = splitter.recordIndex;
    yield { records: splitter.push(text, next.done === true), firstIndex };
  }
}

/** The scan, one piece of text per step (so an async caller can let other work run between them). */
function* scanSteps(source: CsvSource, encoding: TextEncodingName, sizeBytes: number): Generator<void, CsvScan> {
  const found: { layout?: Layout } = {};
  let blank = true;
  const shaper = new CsvRowShaper();
  for (const { records, firstIndex } of recordPieces(source, encoding, encoding === "utf-8", (layout, head) => {
    assertTextSample(head);
    found.layout = layout;
  })) {
    if (blank && records.some((r) => r.some((c) => c.trim() !== ""))) blank = false;
    shaper.take(records, firstIndex);
    yield;
  }
  if (blank) throw new ImportFileError("empty", "The file is empty.");
  shaper.finish();
  const { delimiter, newline } = found.layout!;
  return { headers: shaper.headers!, delimiter, newline, encoding, sizeBytes, totalRows: shaper.rowCount };
}

/** The checks before any text is read, and the encodings to try in order. */
function scanPlan(source: CsvSource): { sizeBytes: number; encodings: TextEncodingName[] } {
  const sizeBytes = csvSourceSize(source);
  if (sizeBytes > MAX_IMPORT_BYTES) {
    throw new ImportFileError(
      "too_large",
      `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB. Split it into smaller files and import them one after another.`,
    );
  }
  const first = firstBytes(source);
  assertLooksLikeCsv(first);
  const bom = encodingFromBom(first);
  // Not valid UTF-8 somewhere: any byte sequence is Windows-1252, which older Windows tools write.
  return { sizeBytes, encodings: bom === "utf-8" ? ["utf-8", "windows-1252"] : [bom] };
}

const notUtf8 = (err: unknown) => (err as { code?: unknown })?.code === "ERR_ENCODING_INVALID_ENCODED_DATA";

/**
 * Checks a whole file without keeping it: size, content, encoding (UTF-8 strictly, else
 * Windows-1252; UTF-16 by its BOM), quoting, row and column limits. Throws ImportFileError with a
 * message the user can act on.
 */
export function scanCsv(source: CsvSource): CsvScan {
  const { sizeBytes, encodings } = scanPlan(source);
  for (const [i, encoding] of encodings.entries()) {
    try {
      const steps = scanSteps(source, encoding, sizeBytes);
      for (;;) {
        const step = steps.next();
        if (step.done) return step.value;
      }
    } catch (err) {
      if (i === encodings.length - 1 || !notUtf8(err)) throw err;
    }
  }
  throw new Error("unreachable");
}

/** scanCsv letting other work run between its 256 KB pieces (a server must not stall on a large file). */
export async function scanCsvAsync(source: CsvSource): Promise<CsvScan> {
  const { sizeBytes, encodings } = scanPlan(source);
  for (const [i, encoding] of encodings.entries()) {
    try {
      const steps = scanSteps(source, encoding, sizeBytes);
      for (;;) {
        const step = steps.next();
        if (step.done) return step.value;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } catch (err) {
      if (i === encodings.length - 1 || !notUtf8(err)) throw err;
    }
  }
  throw new Error("unreachable");
}

/** The data rows of a scanned file, in order, read a chunk at a time. */
export function* csvRows(source: CsvSource, scan: CsvScan): Generator<CsvRow> {
  const shaper = new CsvRowShaper();
  for (const { records, firstIndex } of recordPieces(source, scan.encoding, false, () => {})) {
    yield* shaper.take(records, firstIndex);
  }
}

/** Reads a whole (small) file into header and rows, or throws ImportFileError with a clear message. */
export function readCsvFile(source: CsvSource): CsvFile {
  const scan = scanCsv(source);
  return {
    headers: scan.headers,
    rows: [...csvRows(source, scan)],
    delimiter: scan.delimiter,
    encoding: scan.encoding,
    sizeBytes: scan.sizeBytes,
  };
}
