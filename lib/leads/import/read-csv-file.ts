/**
 * Everything that can refuse a file before anything is written: size limit, content sniffing,
 * decoding and parsing. The import, the preview and the tests all start here.
 */
import { decodeCsvBytes, type TextEncodingName } from "./decode-text";
import { ImportFileError } from "./import-error";
import { MAX_IMPORT_BYTES } from "./import-limits";
import { parseCsvText, type ParsedCsv } from "./parse-csv";
import { assertLooksLikeCsv } from "./sniff-content";

export interface CsvFile extends ParsedCsv {
  encoding: TextEncodingName;
  sizeBytes: number;
}

/** Reads an uploaded file's bytes into header and rows, or throws ImportFileError with a clear message. */
export function readCsvFile(bytes: Uint8Array): CsvFile {
  if (bytes.byteLength > MAX_IMPORT_BYTES) {
    throw new ImportFileError(
      "too_large",
      `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB. Split it into smaller files and import them one after another.`,
    );
  }
  assertLooksLikeCsv(bytes);
  const { text, encoding } = decodeCsvBytes(bytes);
  return { ...parseCsvText(text), encoding, sizeBytes: bytes.byteLength };
}
