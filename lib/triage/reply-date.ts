/**
 * The time a reply names ("Thursday morning", "check back in March", "el jueves en la tarde", "the
 * week after Easter", "once school starts"), read in the dealership's time zone against an injected
 * clock. chrono-node (English and Spanish) parses the ordinary expressions; a short table handles
 * what chrono does not know (holidays, seasons, tax refunds, the school year, "a few weeks"), each
 * mapped to one documented local date (README, "Reply triage"). Vague words with no time at all
 * ("later", "más adelante", "someday") give null. Pure; the clock is a parameter.
 */
import * as chrono from "chrono-node";
import { addLocalDays, instantOfWallTime, wallTimeAt } from "@/lib/campaigns/zoned-time";
import { foldForPhrases } from "@/lib/sms/opt-out-requests";
import type { ReplyLanguage } from "./text-features";

/** Month and day (1-based) of a yearly date. */
export interface MonthDay {
  month: number;
  day: number;
}

/** The dates vague phrases stand for; a dealership may set its own. */
export interface VagueDateDefaults {
  /** "once school starts", "cuando entren a la escuela". */
  schoolStarts: MonthDay;
  /** "when I get my tax refund", "cuando me llegue el taxes". */
  taxRefund: MonthDay;
}

export const DEFAULT_VAGUE_DATES: VagueDateDefaults = {
  schoolStarts: { month: 8, day: 15 },
  taxRefund: { month: 3, day: 1 },
};

export interface ReplyDateOptions {
  /** The clock (injected so tests and the webhook agree on "now"). */
  now: Date;
  /** The dealership's IANA time zone, e.g. "America/Chicago". */
  timeZone: string;
  /** The language to try first (the other one is tried next). */
  language?: ReplyLanguage;
  defaults?: VagueDateDefaults;
}

/** A time found in a reply. */
export interface ReplyDate {
  /** ISO 8601 with the dealership's UTC offset, e.g. "2026-03-05T09:00:00-06:00". */
  iso: string;
  /** The words it came from. */
  phrase: string;
  /** "chrono" for an ordinary expression, else the table entry ("easter", "school", ...). */
  source: string;
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

// Local hour for a day named without a time, and for parts of the day (dealership hours).
const DEFAULT_HOUR = 10;
const PART_OF_DAY: { pattern: RegExp; hour: number }[] = [
  { pattern: /\bmorning\b|\b(?:en|por) la manana\b|\btemprano\b|\bearly\b/, hour: 9 },
  { pattern: /\bafternoon\b|\bafter (?:work|school)\b|\b(?:en|por) la tarde\b/, hour: 14 },
  { pattern: /\bevening\b|\btonight\b|\b(?:en|por) la noche\b|\besta noche\b/, hour: 18 },
];

/** Easter Sunday of a year (the anonymous Gregorian algorithm). */
export function easterSunday(year: number): LocalDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { year, month, day };
}

function thanksgiving(year: number): LocalDate {
  const firstWeekday = new Date(Date.UTC(year, 10, 1)).getUTCDay();
  return { year, month: 11, day: 1 + ((4 - firstWeekday + 7) % 7) + 21 };
}

const compare = (a: LocalDate, b: LocalDate) => a.year - b.year || a.month - b.month || a.day - b.day;
const shift = (d: LocalDate, days: number): LocalDate => addLocalDays(d.year, d.month, d.day, days);

/** The first occurrence of a yearly date (given per year) after today. */
function nextYearly(today: LocalDate, dateIn: (year: number) => LocalDate): LocalDate {
  const thisYear = dateIn(today.year);
  return compare(thisYear, today) > 0 ? thisYear : dateIn(today.year + 1);
}

function addMonths(d: LocalDate, months: number): LocalDate {
  const total = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { year, month, day: Math.min(d.day, lastDay) };
}

interface TableEntry {
  source: string;
  pattern: RegExp;
  /** The local date, or null for "no date" (a vague "later"). */
  date: (today: LocalDate, defaults: VagueDateDefaults) => LocalDate | null;
}

const yearly = (md: MonthDay) => (year: number) => ({ year, month: md.month, day: md.day });

// Checked in order on the folded text; the first match wins.
const TABLE: TableEntry[] = [
  {
    source: "easter",
    pattern: /\bweek after easter\b|\bsemana despues de (?:semana santa|pascua)\b/,
    date: (t) => shift(nextYearly(shift(t, -8), easterSunday), 8),
  },
  {
    source: "easter",
    pattern: /\bafter easter\b|\bdespues de (?:semana santa|pascua)\b/,
    date: (t) => shift(nextYearly(shift(t, -1), easterSunday), 1),
  },
  { source: "easter", pattern: /\beaster\b|\bsemana santa\b|\bpascua\b/, date: (t) => nextYearly(t, easterSunday) },
  {
    source: "thanksgiving",
    pattern: /\bafter thanksgiving\b|\bdespues de(?:l dia de)? accion de gracias\b/,
    date: (t) => shift(nextYearly(shift(t, -1), thanksgiving), 1),
  },
  {
    source: "thanksgiving",
    pattern: /\bthanksgiving\b|\baccion de gracias\b/,
    date: (t) => nextYearly(t, thanksgiving),
  },
  {
    source: "new_year",
    pattern:
      /\bafter the (?:holidays|new year)\b|\b(?:first|start|beginning) of (?:the|next) year\b|\bnew year\b|\bdespues de (?:las fiestas|ano nuevo)\b|\bano nuevo\b/,
    date: (t) => nextYearly(t, (year) => ({ year, month: 1, day: 2 })),
  },
  {
    source: "christmas",
    pattern: /\bafter (?:christmas|xmas)\b|\bdespues de navidad\b/,
    date: (t) => nextYearly(t, (year) => ({ year, month: 12, day: 26 })),
  },
  {
    source: "christmas",
    pattern: /\b(?:christmas|xmas|navidad)\b/,
    date: (t) => nextYearly(t, (year) => ({ year, month: 12, day: 15 })),
  },
  {
    source: "tax_refund",
    pattern: /\btax(?:es)? (?:refund|return|season|money|check)s?\b|\bmy taxes\b|\bel taxes\b|\bimpuestos\b/,
    date: (t, d) => nextYearly(t, yearly(d.taxRefund)),
  },
  {
    source: "school",
    pattern:
      /\bschool (?:starts?|is back|begins?|year starts)\b|\bback (?:in|to) school\b|\b(?:entren|regresen|vuelvan) a (?:la )?escuela\b|\b(?:empiecen|empiezan|inicien) (?:las )?clases\b|\bregreso a clases\b/,
    date: (t, d) => nextYearly(t, yearly(d.schoolStarts)),
  },
  {
    source: "end_of_year",
    pattern: /\bend of (?:the |this )?year\b|\b(?:fin|finales) de(?:l)? ano\b/,
    date: (t) => nextYearly(t, (year) => ({ year, month: 12, day: 1 })),
  },
  {
    source: "next_year",
    pattern: /\bnext year\b|\b(?:el )?(?:proximo|otro) ano\b|\bel ano que (?:viene|entra)\b/,
    date: (t) => ({ year: t.year + 1, month: 1, day: 15 }),
  },
  {
    source: "season",
    pattern: /\bspring\b|\bprimavera\b/,
    date: (t) => nextYearly(t, (year) => ({ year, month: 3, day: 20 })),
  },
  {
    source: "season",
    pattern: /\bsummer\b|\bverano\b/,
    date: (t) => nextYearly(t, (year) => ({ year, month: 6, day: 21 })),
  },
  {
    source: "season",
    pattern: /\b(?:fall|autumn)\b|\botono\b/,
    date: (t) => nextYearly(t, (year) => ({ year, month: 9, day: 22 })),
  },
  {
    source: "season",
    pattern: /\bwinter\b|\binvierno\b/,
    date: (t) => nextYearly(t, (year) => ({ year, month: 12, day: 21 })),
  },
  {
    source: "weeks",
    pattern: /\bcouple (?:of )?weeks\b|\bpar de semanas\b/,
    date: (t) => shift(t, 14),
  },
  {
    source: "weeks",
    pattern: /\b(?:a )?few weeks\b|\bunas (?:cuantas )?semanas\b/,
    date: (t) => shift(t, 21),
  },
  {
    source: "months",
    pattern: /\bcouple (?:of )?months\b|\bpar de meses\b/,
    date: (t) => addMonths(t, 2),
  },
  {
    source: "months",
    pattern: /\b(?:a )?few months\b|\bunos (?:cuantos )?meses\b/,
    date: (t) => addMonths(t, 3),
  },
  {
    source: "next_month",
    pattern: /\b(?:el )?(?:proximo|otro) mes\b|\bel mes que (?:viene|entra)\b/,
    date: (t) => addMonths(t, 1),
  },
];

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** ISO 8601 of an instant as the zone's clocks show it, with the zone's offset then. */
export function zonedIso(instantMs: number, timeZone: string): string {
  const w = wallTimeAt(instantMs, timeZone);
  const offsetMin = Math.round(
    (Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(instantMs / 1000) * 1000) / 60_000,
  );
  const sign = offsetMin < 0 ? "-" : "+";
  const abs = Math.abs(offsetMin);
  return (
    `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

function partOfDayHour(folded: string): number | null {
  return PART_OF_DAY.find((p) => p.pattern.test(folded))?.hour ?? null;
}

function atLocal(date: LocalDate, hour: number, minute: number, timeZone: string): string {
  return zonedIso(instantOfWallTime(date.year, date.month, date.day, hour * 60 + minute, timeZone), timeZone);
}

const CHRONO = { en: chrono.en.casual, es: chrono.es.casual };
const NOW_WORDS = /^(?:right )?now$|^ahor(?:a|ita)(?: mismo)?$/i;

/** The time a reply names, or null when it names none. */
export function parseReplyDate(text: string, options: ReplyDateOptions): ReplyDate | null {
  const { now, timeZone, language = "en", defaults = DEFAULT_VAGUE_DATES } = options;
  const folded = foldForPhrases(text);
  const wall = wallTimeAt(now.getTime(), timeZone);
  const today = { year: wall.year, month: wall.month, day: wall.day };

  for (const entry of TABLE) {
    const match = entry.pattern.exec(folded);
    if (!match) continue;
    const date = entry.date(today, defaults);
    if (!date) return null;
    return {
      iso: atLocal(date, partOfDayHour(folded) ?? DEFAULT_HOUR, 0, timeZone),
      phrase: match[0],
      source: entry.source,
    };
  }

  // chrono reads the words against the dealership's wall clock: the reference carries the zone's
  // offset now, and the components it returns are local; instantOfWallTime then places them in
  // the zone (with the offset of that day, across a DST change too).
  const offsetMinutes = Math.round(
    (Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) -
      Math.floor(now.getTime() / 1000) * 1000) /
      60_000,
  );
  // "around 6", "like 5:30", "tipo 4": chrono wants "at".
  const prepared = text.replace(/\b(?:around|about|like|ish|approx\.?|como a las|tipo)\b/giu, (m) =>
    /como|tipo/i.test(m) ? "a las" : "at",
  );
  const order: ReplyLanguage[] = language === "es" ? ["es", "en"] : ["en", "es"];
  for (const lang of order) {
    const results = CHRONO[lang].parse(prepared, { instant: now, timezone: offsetMinutes }, { forwardDate: true });
    // "now" names no time to keep: "not right now, check back in March" means March.
    const result = results.find((r) => !NOW_WORDS.test(r.text.trim()));
    if (!result) continue;
    const s = result.start;
    // A year alone ("this year") is no date to act on.
    if (!s.isCertain("month") && !s.isCertain("day") && !s.isCertain("weekday") && !s.isCertain("hour")) continue;
    const date = { year: s.get("year")!, month: s.get("month")!, day: s.get("day")! };
    let hour: number;
    let minute = 0;
    if (s.isCertain("hour")) {
      hour = s.get("hour")!;
      minute = s.get("minute") ?? 0;
      // "at 3", "a las 4": a dealership's hours are the afternoon's, not the night's.
      if (!s.isCertain("meridiem") && hour >= 1 && hour <= 7) hour += 12;
    } else {
      hour = partOfDayHour(folded) ?? DEFAULT_HOUR;
    }
    return { iso: atLocal(date, hour, minute, timeZone), phrase: result.text, source: "chrono" };
  }
  return null;
}
