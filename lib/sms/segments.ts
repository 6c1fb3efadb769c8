/**
 * SMS segment counting, as carriers bill it: GSM-7 carries 160 septets in one message or 153 per
 * part of a concatenated one; a single character outside GSM-7 switches the whole message to UCS-2
 * (70 code units, 67 per part). Pure and dependency-free so the reply box can run it live.
 */

// GSM 03.38 basic character set (one septet each).
const GSM_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
// The extension table: an escape septet plus the character, so each counts two.
const GSM_EXTENDED = new Set("^{}\\[~]|€\f");

export type SmsEncoding = "GSM-7" | "UCS-2";

/** What a body costs to send. */
export interface SegmentCount {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
  /** Units one segment holds at the current length (160/153 or 70/67). */
  perSegment: number;
  /** Units left before another segment starts. */
  remaining: number;
  /** The distinct characters that force UCS-2, in order of appearance (empty for GSM-7). */
  ucs2Characters: string[];
}

/** Units of each character (surrogate pairs and escape sequences are never split across parts). */
function unitsOf(text: string, encoding: SmsEncoding): number[] {
  return Array.from(text, (ch) => (encoding === "UCS-2" ? ch.length : GSM_EXTENDED.has(ch) ? 2 : 1));
}

/** Count greedily packed parts of `size` units without splitting a character. */
function packedParts(units: number[], size: number): { parts: number; lastFill: number } {
  let parts = 1;
  let fill = 0;
  for (const u of units) {
    if (fill + u > size) {
      parts += 1;
      fill = 0;
    }
    fill += u;
  }
  return { parts, lastFill: fill };
}

/** Segments, encoding and the characters that force UCS-2 for an SMS body. */
export function countSmsSegments(text: string): SegmentCount {
  const ucs2Characters = [...new Set(Array.from(text).filter((ch) => !GSM_BASIC.has(ch) && !GSM_EXTENDED.has(ch)))];
  const encoding: SmsEncoding = ucs2Characters.length > 0 ? "UCS-2" : "GSM-7";
  const [single, multi] = encoding === "GSM-7" ? [160, 153] : [70, 67];
  const perChar = unitsOf(text, encoding);
  const units = perChar.reduce((a, b) => a + b, 0);
  if (units === 0) return { encoding, units, segments: 0, perSegment: single, remaining: single, ucs2Characters };
  if (units <= single)
    return { encoding, units, segments: 1, perSegment: single, remaining: single - units, ucs2Characters };
  const { parts, lastFill } = packedParts(perChar, multi);
  return { encoding, units, segments: parts, perSegment: multi, remaining: multi - lastFill, ucs2Characters };
}
