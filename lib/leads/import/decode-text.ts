/**
 * Bytes → text. CRM exports arrive as UTF-8 (with or without a BOM), as Windows-1252 from older
 * Windows tools, or as UTF-16 ("Unicode Text" from Excel). UTF-8 is tried strictly first: valid
 * UTF-8 is almost never meant as anything else, while any byte sequence decodes as Windows-1252.
 */
import { ImportFileError } from "./import-error";

/** The encoding a file was read with. */
export type TextEncodingName = "utf-8" | "windows-1252" | "utf-16le" | "utf-16be";

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
}

// Controls other than tab, LF and CR; in real text they are vanishingly rare.
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;
const SAMPLE_CHARS = 64 * 1024;

// Node's TextDecoder("windows-1252") decodes 0x80–0x9F as Latin-1 C1 controls; Windows-1252 puts
// curly quotes, dashes, € and friends there. The five bytes it leaves undefined stay as they are.
const CP1252_HIGH: Record<string, string> = {
  "\u0080": "€",
  "\u0082": "‚",
  "\u0083": "ƒ",
  "\u0084": "„",
  "\u0085": "…",
  "\u0086": "†",
  "\u0087": "‡",
  "\u0088": "ˆ",
  "\u0089": "‰",
  "\u008a": "Š",
  "\u008b": "‹",
  "\u008c": "Œ",
  "\u008e": "Ž",
  "\u0091": "‘",
  "\u0092": "’",
  "\u0093": "“",
  "\u0094": "”",
  "\u0095": "•",
  "\u0096": "–",
  "\u0097": "—",
  "\u0098": "˜",
  "\u0099": "™",
  "\u009a": "š",
  "\u009b": "›",
  "\u009c": "œ",
  "\u009e": "ž",
  "\u009f": "Ÿ",
};

/** Windows-1252 bytes → text, with the 0x80–0x9F range mapped as Windows does. */
function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder("windows-1252").decode(bytes).replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c] ?? c);
}

function decode(bytes: Uint8Array, encoding: TextEncodingName, fatal: boolean): string {
  // ignoreBOM: false strips a leading BOM of the chosen encoding.
  return new TextDecoder(encoding, { fatal, ignoreBOM: false }).decode(bytes);
}

/** The encoding a file's first bytes announce (a UTF-16 BOM), else UTF-8 to be tried first. */
export function encodingFromBom(first: Uint8Array): TextEncodingName {
  if (first[0] === 0xff && first[1] === 0xfe) return "utf-16le";
  if (first[0] === 0xfe && first[1] === 0xff) return "utf-16be";
  return "utf-8";
}

/**
 * A decoder for a file read in chunks: call with each chunk in order (`last` on the final one).
 * Characters split across chunks come out whole. With `fatal`, invalid UTF-8 throws a TypeError
 * (the caller then reads the file as Windows-1252).
 */
export function chunkDecoder(encoding: TextEncodingName, fatal = false): (bytes: Uint8Array, last: boolean) => string {
  if (encoding === "windows-1252") {
    // One byte, one character: chunks decode independently.
    return (bytes) => decodeWindows1252(bytes);
  }
  const decoder = new TextDecoder(encoding, { fatal, ignoreBOM: false });
  return (bytes, last) => decoder.decode(bytes, { stream: !last });
}

/**
 * Throws ImportFileError("not_csv") when the start of the decoded text is mostly control
 * characters (binary data without a known signature).
 */
export function assertTextSample(text: string): void {
  const sample = text.slice(0, SAMPLE_CHARS);
  const controls = sample.match(CONTROL_RE)?.length ?? 0;
  if (sample.includes("\u0000") || controls > Math.max(8, sample.length / 100)) {
    throw new ImportFileError(
      "not_csv",
      "This file contains binary data, not CSV text. Save it as CSV and upload that file.",
    );
  }
}

/**
 * Decodes a CSV file's bytes, stripping any BOM. Throws ImportFileError("not_csv") when the
 * result is mostly control characters (binary data without a known signature) and ("empty")
 * when nothing but whitespace remains.
 */
export function decodeCsvBytes(bytes: Uint8Array): DecodedText {
  let decoded: DecodedText;
  const bom = encodingFromBom(bytes);
  if (bom !== "utf-8") decoded = { text: decode(bytes, bom, false), encoding: bom };
  else {
    try {
      decoded = { text: decode(bytes, "utf-8", true), encoding: "utf-8" };
    } catch {
      decoded = { text: decodeWindows1252(bytes), encoding: "windows-1252" };
    }
  }
  assertTextSample(decoded.text);
  if (decoded.text.trim() === "") throw new ImportFileError("empty", "The file is empty.");
  return decoded;
}
