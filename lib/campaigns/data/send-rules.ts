/**
 * The legal rules on WHEN a marketing text may reach a person and HOW OFTEN, as data. send-window.ts
 * applies the federal rule everywhere and a state's rule on top where the recipient's area code is
 * in that state; the stricter of the two wins for every minute of every day.
 *
 * Times are the recipient's local wall-clock time, in minutes since local midnight, as half-open
 * windows [start, end): a rule "not after 9 p.m." allows 20:59 and refuses 21:00.
 * Days are indexed like Date#getDay: 0 = Sunday ... 6 = Saturday.
 *
 * Only the rules named in the campaigns issue are encoded. Other states have hour, Sunday or holiday
 * rules of their own (for instance Connecticut, Louisiana, Mississippi, Rhode Island, Alabama):
 * adding one is a new entry below with its citation, checked by counsel first.
 */
import type { UsJurisdiction } from "./us-area-codes";

/** A daily window in local minutes since midnight, [start, end). */
export interface DailyWindow {
  start: number;
  end: number;
}

/** Seven entries, Sunday first; null means no message may be sent that day. */
export type WeekWindows = readonly [
  DailyWindow | null,
  DailyWindow | null,
  DailyWindow | null,
  DailyWindow | null,
  DailyWindow | null,
  DailyWindow | null,
  DailyWindow | null,
];

/** One rule on hours, with where it comes from. */
export interface HoursRule {
  id: string;
  /** For people: the rule in a few words. */
  summary: string;
  citation: string;
  week: WeekWindows;
}

/** A cap on messages to one person about the same subject (here: the same campaign). */
export interface SubjectCapRule {
  id: string;
  summary: string;
  citation: string;
  maxMessages: number;
  periodHours: number;
}

const h = (hours: number, minutes = 0) => hours * 60 + minutes;
const everyDay = (start: number, end: number): WeekWindows => {
  const w = { start, end };
  return [w, w, w, w, w, w, w];
};

/**
 * Federal: no telephone solicitation before 8 a.m. or after 9 p.m. local time at the called
 * party's location. 47 CFR 64.1200(c)(1) (TCPA rules; the FCC treats texts as calls).
 */
export const FEDERAL_HOURS: HoursRule = {
  id: "federal",
  summary: "8:00–21:00 recipient's time",
  citation: "47 CFR 64.1200(c)(1)",
  week: everyDay(h(8), h(21)),
};

const TX_SUNDAY: DailyWindow = { start: h(12), end: h(21) };
const TX_WEEKDAY: DailyWindow = { start: h(9), end: h(21) };

/** State rules stricter than the federal one, by the state of the recipient's area code. */
export const STATE_HOURS: Readonly<Partial<Record<UsJurisdiction, HoursRule>>> = {
  // Florida Telephone Solicitation Act (2021 SB 1120, texts included): no commercial telephone
  // solicitation before 8 a.m. or after 8 p.m. at the called person's location.
  FL: { id: "FL", summary: "Florida: 8:00–20:00", citation: "Fla. Stat. § 501.616(6)(a)", week: everyDay(h(8), h(20)) },
  // Oklahoma Telephone Solicitation Act of 2022 (texts included): not before 8 a.m. or after 8 p.m.
  // in the consumer's time zone.
  OK: {
    id: "OK",
    summary: "Oklahoma: 8:00–20:00",
    citation: "Okla. Stat. tit. 15, § 775C.4",
    week: everyDay(h(8), h(20)),
  },
  // Maryland Stop the Spam Calls Act of 2023 (texts included): not before 8 a.m. or after 8 p.m.
  // in the recipient's time zone.
  MD: {
    id: "MD",
    summary: "Maryland: 8:00–20:00",
    citation: "Md. Code, Com. Law § 14-4503",
    week: everyDay(h(8), h(20)),
  },
  // Texas: no telephone solicitation before 9 a.m. or after 9 p.m. on a weekday or Saturday, nor
  // before noon or after 9 p.m. on a Sunday; SB 140 (89th Leg., 2025) brought text messages under
  // the telephone-solicitation chapters from September 1, 2025.
  TX: {
    id: "TX",
    summary: "Texas: 9:00–21:00 Monday–Saturday, 12:00–21:00 Sunday",
    citation: "Tex. Bus. & Com. Code § 301.051; SB 140 (2025)",
    week: [TX_SUNDAY, TX_WEEKDAY, TX_WEEKDAY, TX_WEEKDAY, TX_WEEKDAY, TX_WEEKDAY, TX_WEEKDAY],
  },
  // Washington: no telephone solicitation before 8 a.m. or after 8 p.m. at the called party's
  // location.
  WA: { id: "WA", summary: "Washington: 8:00–20:00", citation: "RCW 80.36.390", week: everyDay(h(8), h(20)) },
};

/**
 * "No more than three commercial telephone solicitation calls from any number to a person over a
 * 24-hour period on the same subject matter or issue": Florida, Oklahoma and Maryland. A campaign
 * is one subject, so the cap counts this lead's messages of the same campaign.
 */
export const STATE_SUBJECT_CAPS: Readonly<Partial<Record<UsJurisdiction, SubjectCapRule>>> = {
  FL: {
    id: "FL",
    summary: "Florida: at most 3 per 24 hours per campaign",
    citation: "Fla. Stat. § 501.616(6)(b)",
    maxMessages: 3,
    periodHours: 24,
  },
  OK: {
    id: "OK",
    summary: "Oklahoma: at most 3 per 24 hours per campaign",
    citation: "Okla. Stat. tit. 15, § 775C.4",
    maxMessages: 3,
    periodHours: 24,
  },
  MD: {
    id: "MD",
    summary: "Maryland: at most 3 per 24 hours per campaign",
    citation: "Md. Code, Com. Law § 14-4503",
    maxMessages: 3,
    periodHours: 24,
  },
};

/**
 * The jurisdictions a number of unknown location might be in: the 50 states, DC, Puerto Rico and
 * the US Virgin Islands. Guam, the Northern Mariana Islands and American Samoa are left out on
 * purpose: their numbers always carry their own area codes (671, 670, 684), so a number whose
 * location is unknown is never theirs, and their UTC+10/UTC-11 clocks would shrink the nationwide
 * window to about two hours a day.
 */
export const NATIONWIDE_EXCLUDED: ReadonlySet<UsJurisdiction> = new Set<UsJurisdiction>(["GU", "MP", "AS"]);
