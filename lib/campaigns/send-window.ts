/**
 * When a campaign message may go out: the one place the send worker asks. Pure (the clock and the
 * lead's history are arguments) and data-driven (data/send-rules.ts, data/us-area-codes.ts).
 *
 * - The recipient's local time comes from the area code (recipient-location.ts). An area code
 *   spanning several zones allows only the minutes allowed in every one of them.
 * - A number of unknown location (toll-free, non-US, unlisted or unparseable) allows only minutes
 *   that are legal everywhere in the 50 states, DC, Puerto Rico and the US Virgin Islands, under
 *   every state rule encoded: today 8:00 in Hawaii to 20:00 in Florida's Eastern zone, i.e.
 *   13:00-20:00 Eastern in winter and 14:00-20:00 in summer. See NATIONWIDE_EXCLUDED for why Guam,
 *   CNMI and American Samoa are not in it.
 * - Federal 8:00-21:00 everywhere, stricter state rules where the area code's state has one, and the
 *   dealership's own hours and days on top (they can only narrow the window).
 * - Outside the window a send is postponed to `notBefore`, never dropped; inside it, Twilio's
 *   ValidityPeriod is the seconds left in the window (at most 14,400), so a message that waits in
 *   Twilio's queue expires instead of arriving at night.
 * - The frequency caps of send-frequency.ts postpone a send the same way.
 */
import { z } from "zod";
import { FEDERAL_HOURS, NATIONWIDE_EXCLUDED, STATE_HOURS, type DailyWindow, type WeekWindows } from "./data/send-rules";
import { US_AREA_CODES } from "./data/us-area-codes";
import { recipientLocation, type RecipientLocation } from "./recipient-location";
import { checkFrequency, DEFAULT_DEALERSHIP_CAP, type CampaignSend, type FrequencyCap } from "./send-frequency";
import { addLocalDays, instantOfWallTime, isKnownTimeZone, wallTimeAt } from "./zoned-time";

/** Twilio's largest ValidityPeriod, in seconds (4 hours). */
export const TWILIO_MAX_VALIDITY_SECONDS = 14_400;
/** By default a send is not started with less than a minute of window left. */
export const DEFAULT_MIN_VALIDITY_SECONDS = 60;

const MINUTE_MS = 60_000;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

function minutesOf(hhmm: string): number {
  if (hhmm === "24:00") return 1440;
  const [hours, minutes] = hhmm.split(":").map(Number);
  return hours! * 60 + minutes!;
}

/**
 * The dealership's own sending hours: "HH:MM" start and end ("24:00" allowed as end), the weekdays
 * (0 = Sunday) and, optionally, the zone they are meant in. Without a zone they apply in the
 * recipient's local time ("never before 10:00 for the customer"); with one, in that zone ("only
 * while our BDC is in", e.g. America/Chicago). Either way they only narrow the legal window.
 */
export const dealershipSendHoursSchema = z
  .object({
    start: z.string().regex(HHMM, "Use HH:MM, e.g. 09:00"),
    end: z.string().regex(new RegExp(`${HHMM.source}|^24:00$`), "Use HH:MM, e.g. 19:30"),
    days: z
      .array(z.number().int().min(0).max(6))
      .min(1, "Pick at least one day")
      .max(7)
      .refine((d) => new Set(d).size === d.length, "Each day once"),
    timeZone: z
      .string()
      .refine((tz) => isKnownTimeZone(tz), "Unknown time zone")
      .nullish(),
  })
  .refine((h) => minutesOf(h.end) > minutesOf(h.start), { message: "The end must be after the start", path: ["end"] });

export type DealershipSendHours = z.infer<typeof dealershipSendHoursSchema>;

/** Everything the dealership configures about sending, all optional. */
export interface SendPolicy {
  dealershipHours?: DealershipSendHours | null;
  /** Campaign messages per lead across campaigns; default 1 per 7 days. */
  dealershipCap?: FrequencyCap;
  /** Do not start a send with fewer seconds left in the window (default 60). */
  minValiditySeconds?: number;
}

/** The lead's campaign history, for the frequency caps. */
export interface SendHistory {
  /** The campaign this message belongs to. */
  campaignId: string;
  /** This dealership's campaign messages to this lead (any campaign), newest or oldest first. */
  sends: readonly CampaignSend[];
}

/** A rule that shaped the window, for the campaign page ("postponed: Texas, Sunday 12:00"). */
export interface AppliedRule {
  id: string;
  summary: string;
  citation: string | null;
}

/** The verdict for one message now. */
export type SendDecision =
  | { allowed: true; validitySeconds: number; windowEndsAt: Date; location: RecipientLocation }
  | { allowed: false; reason: "outside_window" | "frequency_cap"; notBefore: Date; location: RecipientLocation }
  /** No minute in the next 8 days satisfies every rule (e.g. dealership hours that end before Texas's Sunday noon). */
  | { allowed: false; reason: "no_window"; notBefore: null; location: RecipientLocation };

/** The recipient's window around `now`. */
export interface SendWindow {
  location: RecipientLocation;
  rules: AppliedRule[];
  /** The first window that ends after now: open now if start <= now. Null if none within 8 days. */
  window: { start: Date; end: Date } | null;
}

/** One zone and the weekly windows that must hold in it. */
interface Constraint {
  zone: string;
  week: WeekWindows;
}

interface Interval {
  start: number;
  end: number;
}

function intersectDay(a: DailyWindow | null, b: DailyWindow | null): DailyWindow | null {
  if (!a || !b) return null;
  const start = Math.max(a.start, b.start);
  const end = Math.min(a.end, b.end);
  return end > start ? { start, end } : null;
}

function intersectWeeks(a: WeekWindows, b: WeekWindows): WeekWindows {
  return a.map((day, i) => intersectDay(day, b[i]!)) as unknown as WeekWindows;
}

function dealershipWeek(hours: DealershipSendHours): WeekWindows {
  const window = { start: minutesOf(hours.start), end: minutesOf(hours.end) };
  return Array.from({ length: 7 }, (_, day) => (hours.days.includes(day) ? window : null)) as unknown as WeekWindows;
}

/** The legal week of a state (federal, narrowed by the state's own rule if any). */
function legalWeek(state: keyof typeof STATE_HOURS): WeekWindows {
  const stateRule = STATE_HOURS[state];
  return stateRule ? intersectWeeks(FEDERAL_HOURS.week, stateRule.week) : FEDERAL_HOURS.week;
}

let nationwide: Constraint[] | undefined;

/** For an unknown location: per zone of the US, the week legal under every state using that zone. */
function nationwideConstraints(): Constraint[] {
  if (!nationwide) {
    const byZone = new Map<string, WeekWindows>();
    for (const { state, zones } of Object.values(US_AREA_CODES)) {
      if (NATIONWIDE_EXCLUDED.has(state)) continue;
      for (const zone of zones) {
        const week = legalWeek(state);
        const known = byZone.get(zone);
        byZone.set(zone, known ? intersectWeeks(known, week) : week);
      }
    }
    nationwide = [...byZone].map(([zone, week]) => ({ zone, week }));
  }
  return nationwide;
}

function constraintsFor(
  location: RecipientLocation,
  hours: DealershipSendHours | null | undefined,
): { constraints: Constraint[]; rules: AppliedRule[] } {
  const rules: AppliedRule[] = [
    { id: FEDERAL_HOURS.id, summary: FEDERAL_HOURS.summary, citation: FEDERAL_HOURS.citation },
  ];
  let constraints: Constraint[];
  if (location.kind === "area-code") {
    const stateRule = STATE_HOURS[location.state];
    if (stateRule) rules.push({ id: stateRule.id, summary: stateRule.summary, citation: stateRule.citation });
    const week = legalWeek(location.state);
    constraints = location.zones.map((zone) => ({ zone, week }));
  } else {
    rules.push({
      id: "unknown-location",
      summary: "Location unknown: only hours legal in every US time zone and state",
      citation: [FEDERAL_HOURS.citation, ...Object.values(STATE_HOURS).map((r) => r!.citation)].join("; "),
    });
    constraints = nationwideConstraints();
  }
  if (hours) {
    const week = dealershipWeek(hours);
    const where = hours.timeZone ? ` ${hours.timeZone}` : " recipient's time";
    rules.push({ id: "dealership", summary: `Dealership hours: ${hours.start}–${hours.end}${where}`, citation: null });
    if (hours.timeZone) constraints = [...constraints, { zone: hours.timeZone, week }];
    else constraints = constraints.map((c) => ({ zone: c.zone, week: intersectWeeks(c.week, week) }));
  }
  return { constraints, rules };
}

/** An Invalid Date would compare false with everything and could read as "allowed". */
function assertValidDate(now: Date): void {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new RangeError("now must be a valid Date");
}

/** Identifies the constraints: same area code and same dealership hours, same windows. */
function cacheKeyOf(location: RecipientLocation, hours: DealershipSendHours | null | undefined): string {
  const where = location.kind === "area-code" ? location.areaCode : "unknown";
  return hours ? `${where}|${hours.start}|${hours.end}|${hours.days.join(",")}|${hours.timeZone ?? ""}` : where;
}

/** The windows of one zone on the local dates from the day before `fromMs` to `days` after it. */
function zoneIntervals(c: Constraint, fromMs: number, days: number): Interval[] {
  const today = wallTimeAt(fromMs, c.zone);
  const out: Interval[] = [];
  for (let offset = -1; offset <= days; offset++) {
    const date = addLocalDays(today.year, today.month, today.day, offset);
    const window = c.week[date.weekday];
    if (!window) continue;
    const start = instantOfWallTime(date.year, date.month, date.day, window.start, c.zone);
    const end = instantOfWallTime(date.year, date.month, date.day, window.end, c.zone);
    if (end > start) out.push({ start, end });
  }
  return mergeAdjacent(out);
}

function mergeAdjacent(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

function intersectIntervals(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i]!.start, b[j]!.start);
    const end = Math.min(a[i]!.end, b[j]!.end);
    if (end > start) out.push({ start, end });
    if (a[i]!.end < b[j]!.end) i++;
    else j++;
  }
  return out;
}

/** The instants allowed by every constraint, from the day before `fromMs` to `days` after it. */
function allowedIntervals(constraints: Constraint[], fromMs: number, days: number): Interval[] {
  let result: Interval[] | null = null;
  for (const c of constraints) {
    const own = zoneIntervals(c, fromMs, days);
    result = result ? intersectIntervals(result, own) : own;
    if (result.length === 0) break;
  }
  return mergeAdjacent(result ?? []);
}

// A week plus a day covers every weekday pattern; the short horizon first keeps the usual case cheap.
const HORIZONS_DAYS = [2, 8];

// The send worker asks for thousands of leads that share a handful of area codes. Every zone in
// use is offset from UTC by whole quarter hours, so the local dates (and thus the intervals
// computed from them) are the same for every instant of a UTC quarter hour: cache by that.
const QUARTER_HOUR_MS = 15 * MINUTE_MS;
const CACHE_LIMIT = 5_000;
const intervalCache = new Map<string, Interval[]>();

function cachedAllowedIntervals(key: string, constraints: Constraint[], fromMs: number, days: number): Interval[] {
  const bucket = Math.floor(fromMs / QUARTER_HOUR_MS);
  const cacheKey = `${key}|${days}|${bucket}`;
  let intervals = intervalCache.get(cacheKey);
  if (!intervals) {
    if (intervalCache.size >= CACHE_LIMIT) intervalCache.clear();
    intervals = allowedIntervals(constraints, bucket * QUARTER_HOUR_MS, days);
    intervalCache.set(cacheKey, intervals);
  }
  return intervals;
}

/** The first window that leaves at least `minMs` from max(its start, fromMs), and the instant to start in it. */
function firstUsable(
  key: string,
  constraints: Constraint[],
  fromMs: number,
  minMs: number,
): { startAt: number; window: Interval } | null {
  for (const days of HORIZONS_DAYS) {
    for (const window of cachedAllowedIntervals(key, constraints, fromMs, days)) {
      const startAt = Math.max(window.start, fromMs);
      if (window.end - startAt >= Math.max(minMs, 1)) return { startAt, window };
    }
  }
  return null;
}

/**
 * The recipient's sending window around `now`: where they are, the rules that apply (with their
 * citations) and the window that is open now or opens next.
 */
export function sendWindowFor(
  e164: string,
  options: { now: Date; dealershipHours?: DealershipSendHours | null },
): SendWindow {
  assertValidDate(options.now);
  const location = recipientLocation(e164);
  const { constraints, rules } = constraintsFor(location, options.dealershipHours);
  const found = firstUsable(cacheKeyOf(location, options.dealershipHours), constraints, options.now.getTime(), 0);
  return {
    location,
    rules,
    window: found ? { start: new Date(found.window.start), end: new Date(found.window.end) } : null,
  };
}

/**
 * May a campaign message go to `e164` at `now`? If so, for how long Twilio may hold it
 * (ValidityPeriod = seconds left in the window, at most 14,400). If not, the earliest whole minute
 * at which every rule (hours, days, state and dealership caps) allows it: postpone, never drop.
 */
export function nextAllowedSendTime(
  e164: string,
  now: Date,
  policy: SendPolicy = {},
  history?: SendHistory,
): SendDecision {
  assertValidDate(now);
  const location = recipientLocation(e164);
  const nowMs = now.getTime();
  const minMs = (policy.minValiditySeconds ?? DEFAULT_MIN_VALIDITY_SECONDS) * 1000;
  const frequency = history
    ? checkFrequency(e164, history.campaignId, history.sends, now, policy.dealershipCap ?? DEFAULT_DEALERSHIP_CAP)
    : { earliest: now, limitedBy: null };
  const { constraints } = constraintsFor(location, policy.dealershipHours);
  const found = firstUsable(
    cacheKeyOf(location, policy.dealershipHours),
    constraints,
    frequency.earliest.getTime(),
    minMs,
  );
  if (!found) return { allowed: false, reason: "no_window", notBefore: null, location };
  if (found.startAt === nowMs) {
    const validitySeconds = Math.min(TWILIO_MAX_VALIDITY_SECONDS, Math.floor((found.window.end - nowMs) / 1000));
    return { allowed: true, validitySeconds, windowEndsAt: new Date(found.window.end), location };
  }
  // Windows open on whole minutes; a frequency postponement is rounded up to one in checkFrequency.
  const notBefore = new Date(Math.ceil(found.startAt / MINUTE_MS) * MINUTE_MS);
  return { allowed: false, reason: frequency.limitedBy ? "frequency_cap" : "outside_window", notBefore, location };
}
