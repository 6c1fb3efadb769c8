/**
 * Dates of last activity as CRM exports write them: ISO ("2023-03-14", "2023-03-14T15:02:00Z"),
 * US ("3/14/2023", "03-14-23 2:15 PM"), day-first when the first number cannot be a month
 * ("14/03/2023"), month names ("Mar 14, 2023") and Excel serial day numbers ("45000").
 */

const MIN_YEAR = 1980;
const US_RE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?)?$/i;
const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_RE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/;
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

function utc(y: number, m: number, d: number, h = 0, min = 0, s = 0): Date | null {
  if (m < 1 || m > 12 || d < 1 || d > 31 || h > 23 || min > 59 || s > 59) return null;
  const date = new Date(Date.UTC(y, m - 1, d, h, min, s));
  // Date.UTC rolls 2/30 over to 3/2; a date that rolled over was not a real date.
  return date.getUTCDate() === d ? date : null;
}

function plausible(date: Date | null, now: Date): Date | null {
  if (!date || Number.isNaN(date.getTime())) return null;
  if (date.getUTCFullYear() < MIN_YEAR || date.getTime() > now.getTime() + 86_400_000) return null;
  return date;
}

/** The date, or null when the text is not a plausible past date (dates are read as UTC). */
export function parseActivityDate(raw: string, now: Date = new Date()): Date | null {
  const text = raw.trim();
  if (text === "") return null;
  const iso = ISO_DATE_RE.exec(text);
  if (iso) return plausible(utc(Number(iso[1]), Number(iso[2]), Number(iso[3])), now);
  if (ISO_RE.test(text))
    return plausible(new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text.replace(" ", "T")}Z`), now);
  const us = US_RE.exec(text);
  if (us) {
    let [a, b] = [Number(us[1]), Number(us[2])];
    if (a > 12 && b <= 12) [a, b] = [b, a]; // 14/03/2023 can only be day-first
    let year = Number(us[3]);
    if (us[3]!.length === 2) year += year <= (now.getUTCFullYear() % 100) + 1 ? 2000 : 1900;
    let hour = us[4] ? Number(us[4]) : 0;
    const meridiem = us[7]?.toLowerCase()[0];
    if (meridiem === "p" && hour < 12) hour += 12;
    if (meridiem === "a" && hour === 12) hour = 0;
    return plausible(utc(year, a, b, hour, us[5] ? Number(us[5]) : 0, us[6] ? Number(us[6]) : 0), now);
  }
  if (/^\d{5}(\.\d+)?$/.test(text))
    return plausible(new Date(EXCEL_EPOCH_MS + Math.round(Number(text) * 86_400_000)), now);
  if (/[a-z]{3}/i.test(text) && /\d{4}/.test(text)) {
    const parsed = Date.parse(`${text} UTC`);
    return plausible(Number.isNaN(parsed) ? new Date(Date.parse(text)) : new Date(parsed), now);
  }
  return null;
}
