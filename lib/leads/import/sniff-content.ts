/**
 * Content sniffing: a file is judged by its bytes, never its name, so a workbook, archive, PDF or
 * image renamed to .csv is refused with a message that says what it really is.
 */
import { ImportFileError } from "./import-error";

interface Signature {
  what: string;
  matches: (b: Uint8Array) => boolean;
}

const startsWith = (b: Uint8Array, ...bytes: number[]) => bytes.every((x, i) => b[i] === x);
const ascii = (b: Uint8Array, at: number, s: string) => [...s].every((c, i) => b[at + i] === c.charCodeAt(0));

const SAVE_AS_CSV = "Open it in your spreadsheet program, choose Save As → CSV, and upload that file.";

const SIGNATURES: Signature[] = [
  // xlsx, xlsm, ods and plain zip archives are all zip containers.
  {
    what: "an Excel workbook or a zip archive",
    matches: (b) => startsWith(b, 0x50, 0x4b) && [0x03, 0x05, 0x07].includes(b[2] ?? 0),
  },
  {
    what: "an old-style Excel (.xls) or Office file",
    matches: (b) => startsWith(b, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1),
  },
  { what: "a PDF document", matches: (b) => ascii(b, 0, "%PDF") },
  { what: "a PNG image", matches: (b) => startsWith(b, 0x89, 0x50, 0x4e, 0x47) },
  { what: "a JPEG image", matches: (b) => startsWith(b, 0xff, 0xd8, 0xff) },
  { what: "a GIF image", matches: (b) => ascii(b, 0, "GIF8") },
  { what: "a WebP image", matches: (b) => ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP") },
  { what: "a gzip archive", matches: (b) => startsWith(b, 0x1f, 0x8b) },
  { what: "a 7-Zip archive", matches: (b) => startsWith(b, 0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c) },
  { what: "a RAR archive", matches: (b) => ascii(b, 0, "Rar!") },
];

const UTF16_LE_BOM = (b: Uint8Array) => startsWith(b, 0xff, 0xfe);
const UTF16_BE_BOM = (b: Uint8Array) => startsWith(b, 0xfe, 0xff);

/**
 * Throws ImportFileError("empty" | "not_csv") unless the bytes can be a text CSV: not empty, no
 * known binary signature, and (outside UTF-16) no NUL byte in the file.
 */
export function assertLooksLikeCsv(bytes: Uint8Array): void {
  if (bytes.length === 0) throw new ImportFileError("empty", "The file is empty.");
  for (const sig of SIGNATURES) {
    if (sig.matches(bytes)) throw new ImportFileError("not_csv", `This file is ${sig.what}, not a CSV. ${SAVE_AS_CSV}`);
  }
  // UTF-16 text ("Unicode Text" from Excel) is full of NULs by design; decoding checks it instead.
  if (UTF16_LE_BOM(bytes) || UTF16_BE_BOM(bytes)) return;
  if (bytes.indexOf(0) !== -1) {
    throw new ImportFileError("not_csv", `This file contains binary data, not CSV text. ${SAVE_AS_CSV}`);
  }
}
