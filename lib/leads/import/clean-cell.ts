/**
 * Cell clean-up before a value is stored: control characters and invisible direction overrides
 * are removed, line breaks and tabs become spaces. Everything else, including text that looks
 * like HTML or a spreadsheet formula, is kept verbatim: it is stored encrypted and always shown
 * as text (React escapes it; the rejects CSV neutralizes formulas).
 */

// C0 and C1 controls except tab/LF/CR (handled below), DEL, zero-width characters, bidi
// embeddings/overrides/isolates (used to disguise text) and stray BOMs.
const INVISIBLE_RE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
const BREAKS_RE = /[\t\r\n\u2028\u2029]+/g;
const SPACES_RE = /\s+/g;
// Fast path: most cells are plain printable text.
const NEEDS_CLEANING_RE =
  /[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2069\uFEFF]|\s\s|^\s|\s$/;

/** A single-line value: invisible characters removed, whitespace collapsed, trimmed. */
export function cleanCell(raw: string | undefined): string {
  if (!raw) return "";
  if (!NEEDS_CLEANING_RE.test(raw)) return raw;
  return raw.replace(INVISIBLE_RE, "").replace(SPACES_RE, " ").trim();
}

/** A free-text value (notes): invisible characters removed, line breaks and tabs as single spaces, trimmed. */
export function cleanMultilineCell(raw: string | undefined): string {
  if (!raw) return "";
  if (!NEEDS_CLEANING_RE.test(raw)) return raw;
  return raw.replace(INVISIBLE_RE, "").replace(BREAKS_RE, " ").trim();
}
