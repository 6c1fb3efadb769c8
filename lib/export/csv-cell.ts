/**
 * CSV cells for files a dealer opens in Excel. Formula injection is neutralized per OWASP: a cell
 * that begins with =, +, -, @, tab, CR or LF gets a leading apostrophe, so a lead named
 * "=HYPERLINK(...)" is shown as text, not run. The one exception is a phone number the product
 * itself validated as E.164 ("+" then digits only), which stays usable as it is.
 */

const FORMULA_START = /^[=+\-@\t\r\n]/;
const E164 = /^\+[1-9][0-9]{1,14}$/;

/** The UTF-8 byte order mark, so Excel reads the file as UTF-8. */
export const UTF8_BOM = "\uFEFF";

/** A cell value as text, neutralized; phone columns keep E.164 values unchanged. */
export function neutralizeCell(value: string, isPhoneColumn: boolean): string {
  if (isPhoneColumn && E164.test(value)) return value;
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Render one value for a cell: null as empty, objects as JSON, then neutralized and quoted as needed. */
export function csvCell(value: unknown, isPhoneColumn = false): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  const safe = neutralizeCell(text, isPhoneColumn);
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One CSV record (CRLF-terminated, RFC 4180). */
export function csvLine(cells: readonly string[]): string {
  return `${cells.join(",")}\r\n`;
}
