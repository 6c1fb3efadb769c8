/**
 * Property: for random numbers, random instants (weighted towards DST transitions), random
 * dealership hours, caps and histories, with the clock injected:
 * - whenever nextAllowedSendTime says "allowed", the recipient's local time is inside every
 *   applicable rule, the caps are respected, and the window really lasts validitySeconds;
 * - whenever it postpones, notBefore is allowed and no whole minute between now and notBefore is;
 * - whenever it says no window exists, no minute of the next 8 days is allowed.
 * The oracle below restates the rules independently (its own Intl formatter and rule table); only
 * the area-code table is shared, as input data.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { US_AREA_CODES } from "./data/us-area-codes";
import { nextAllowedSendTime, type DealershipSendHours, type SendHistory, type SendPolicy } from "./send-window";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** [start, end) in local minutes for a state on a weekday (0 = Sunday), restated from the statutes. */
function legalMinutes(state: string, weekday: number): [number, number] {
  switch (state) {
    case "FL": // Fla. Stat. 501.616(6)(a)
    case "OK": // 15 O.S. 775C.4
    case "MD": // Md. Com. Law 14-4503
    case "WA": // RCW 80.36.390
      return [8 * 60, 20 * 60];
    case "TX": // Tex. Bus. & Com. Code 301.051
      return weekday === 0 ? [12 * 60, 21 * 60] : [9 * 60, 21 * 60];
    default: // 47 CFR 64.1200(c)(1)
      return [8 * 60, 21 * 60];
  }
}
const CAPPED_STATES = new Set(["FL", "OK", "MD"]);

const oracleFormatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();
/**
 * Local weekday and minute of the day. The zone's offset comes from Intl once per UTC hour (every
 * zone used here changes offset only on whole UTC hours), the rest is arithmetic, so the oracle
 * can afford to look at every minute of several days.
 */
function local(t: number, zone: string): { weekday: number; minute: number } {
  const hour = Math.floor(t / HOUR);
  const key = `${zone}|${hour}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    let f = oracleFormatters.get(zone);
    if (!f) {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        hourCycle: "h23",
      });
      oracleFormatters.set(zone, f);
    }
    const parts = Object.fromEntries(f.formatToParts(new Date(hour * HOUR)).map((p) => [p.type, Number(p.value)]));
    offset = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!) - hour * HOUR;
    offsets.set(key, offset);
  }
  const wall = new Date(t + offset);
  return { weekday: wall.getUTCDay(), minute: wall.getUTCHours() * 60 + wall.getUTCMinutes() };
}

/** The (state, zones) pairs the recipient may be in. */
function placesOf(areaCode: string | null): Map<string, Set<string>> {
  const byZone = new Map<string, Set<string>>();
  const add = (zone: string, state: string) => byZone.set(zone, (byZone.get(zone) ?? new Set()).add(state));
  if (areaCode) for (const zone of US_AREA_CODES[areaCode]!.zones) add(zone, US_AREA_CODES[areaCode]!.state);
  else
    for (const { state, zones } of Object.values(US_AREA_CODES)) {
      if (state === "GU" || state === "MP" || state === "AS") continue;
      for (const zone of zones) add(zone, state);
    }
  return byZone;
}

interface Scenario {
  e164: string;
  areaCode: string | null;
  now: number;
  hours: DealershipSendHours | null;
  minValiditySeconds: number;
  cap: { maxMessages: number; periodHours: number } | undefined;
  history: SendHistory | undefined;
}

function hhmm(minutes: number): string {
  return minutes === 1440
    ? "24:00"
    : `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

function oracle(s: Scenario) {
  const places = placesOf(s.areaCode);
  const start = s.hours ? Number(s.hours.start.slice(0, 2)) * 60 + Number(s.hours.start.slice(3)) : 0;
  const end = s.hours
    ? s.hours.end === "24:00"
      ? 1440
      : Number(s.hours.end.slice(0, 2)) * 60 + Number(s.hours.end.slice(3))
    : 1440;
  const dealerOk = (l: { weekday: number; minute: number }) =>
    !s.hours || (s.hours.days.includes(l.weekday) && l.minute >= start && l.minute < end);

  const inWindow = (t: number): boolean => {
    for (const [zone, states] of places) {
      const l = local(t, zone);
      for (const state of states) {
        const [a, b] = legalMinutes(state, l.weekday);
        if (l.minute < a || l.minute >= b) return false;
      }
      if (s.hours && !s.hours.timeZone && !dealerOk(l)) return false;
    }
    return !(s.hours?.timeZone && !dealerOk(local(t, s.hours.timeZone)));
  };

  const capOk = (t: number): boolean => {
    if (!s.history) return true;
    const recent = (periodHours: number) =>
      s.history!.sends.filter((x) => x.sentAt.getTime() > t - periodHours * HOUR && x.sentAt.getTime() <= t);
    const cap = s.cap ?? { maxMessages: 1, periodHours: 168 };
    if (recent(cap.periodHours).length >= cap.maxMessages) return false;
    const capped = s.areaCode === null || CAPPED_STATES.has(US_AREA_CODES[s.areaCode]!.state);
    return !(capped && recent(24).filter((x) => x.campaignId === s.history!.campaignId).length >= 3);
  };

  /** Allowed to start at t: caps, and the window holds for at least minValiditySeconds. */
  const allowed = (t: number): boolean => {
    if (!capOk(t) || !inWindow(t)) return false;
    const min = s.minValiditySeconds * 1000;
    for (let x = MINUTE; x < min; x += MINUTE) if (!inWindow(t + x)) return false;
    return min === 0 || inWindow(t + min - 1);
  };
  return { inWindow, capOk, allowed };
}

/** The first whole minute in [from, to) the oracle allows, as an ISO string, or null. */
function firstAllowedMinute(o: ReturnType<typeof oracle>, from: number, to: number): string | null {
  for (let t = from; t < to; t += MINUTE) if (o.allowed(t)) return new Date(t).toISOString();
  return null;
}

const TRANSITIONS = [
  "2024-03-10T07:00:00Z",
  "2024-11-03T06:00:00Z",
  "2025-03-09T07:00:00Z",
  "2025-11-02T06:00:00Z",
  "2026-03-08T07:00:00Z",
  "2026-11-01T06:00:00Z",
].map(Date.parse);
const areaCodes = Object.keys(US_AREA_CODES);

const instant = fc.oneof(
  fc.integer({ min: Date.parse("2024-01-01T00:00:00Z"), max: Date.parse("2027-12-31T00:00:00Z") }),
  fc
    .tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -3 * 24 * HOUR, max: 3 * 24 * HOUR }))
    .map(([t, d]) => t + d),
);
// States with a per-campaign cap get their own share, so the cap is exercised often.
const cappedAreaCodes = areaCodes.filter((ac) => CAPPED_STATES.has(US_AREA_CODES[ac]!.state));
const recipient = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(...areaCodes).map((ac) => ({ e164: `+1${ac}5550123`, areaCode: ac as string | null })),
  },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(...cappedAreaCodes)
      .map((ac) => ({ e164: `+1${ac}5550123`, areaCode: ac as string | null })),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom("+18005550199", "+18885550123", "+14165550101", "+447700900123")
      .map((e164) => ({ e164, areaCode: null })),
  },
);
const dealershipHours = fc.option(
  fc
    .record({
      start: fc.integer({ min: 0, max: 1439 }),
      length: fc.integer({ min: 1, max: 1440 }),
      days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
      timeZone: fc.option(
        fc.constantFrom(
          "America/New_York",
          "America/Chicago",
          "America/Denver",
          "America/Los_Angeles",
          "Pacific/Honolulu",
          "Asia/Kolkata",
        ),
      ),
    })
    .map(({ start, length, days, timeZone }) => ({
      start: hhmm(start),
      end: hhmm(Math.min(1440, start + length)),
      days,
      timeZone,
    })),
  { freq: 2 },
);

const scenario = fc
  .record({
    who: recipient,
    now: instant,
    hours: dealershipHours,
    minValiditySeconds: fc.constantFrom(0, 60, 300),
    cap: fc.constantFrom(
      undefined,
      { maxMessages: 1, periodHours: 168 },
      { maxMessages: 3, periodHours: 24 },
      { maxMessages: 10, periodHours: 24 },
      { maxMessages: 10, periodHours: 48 },
    ),
    sends: fc.option(
      fc.array(
        fc.record({
          campaignId: fc.constantFrom("c1", "c1", "c2"),
          ageMs: fc.oneof(fc.integer({ min: 0, max: 30 * HOUR }), fc.integer({ min: 0, max: 8 * 24 * HOUR })),
        }),
        { maxLength: 6 },
      ),
    ),
  })
  .map(({ who, now, hours, minValiditySeconds, cap, sends }): Scenario => ({
    ...who,
    now,
    hours,
    minValiditySeconds,
    cap,
    history: sends
      ? { campaignId: "c1", sends: sends.map((x) => ({ campaignId: x.campaignId, sentAt: new Date(now - x.ageMs) })) }
      : undefined,
  }));

describe("nextAllowedSendTime (property)", () => {
  it("never allows a send outside the recipient's window or over a cap, and postpones to the earliest allowed minute", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const policy: SendPolicy = {
          dealershipHours: s.hours,
          minValiditySeconds: s.minValiditySeconds,
          ...(s.cap ? { dealershipCap: s.cap } : {}),
        };
        const d = nextAllowedSendTime(s.e164, new Date(s.now), policy, s.history);
        const o = oracle(s);

        if (d.allowed) {
          expect(o.allowed(s.now)).toBe(true);
          expect(d.validitySeconds).toBeGreaterThan(0);
          expect(d.validitySeconds).toBeLessThanOrEqual(14_400);
          // The window lasts the whole validity period, and (unless capped) ends right after it.
          expect(o.inWindow(s.now + d.validitySeconds * 1000 - 1)).toBe(true);
          if (d.validitySeconds < 14_400) expect(o.inWindow(s.now + (d.validitySeconds + 1) * 1000)).toBe(false);
          return;
        }

        expect(o.allowed(s.now)).toBe(false);
        const firstMinute = Math.ceil(s.now / MINUTE) * MINUTE;
        if (d.notBefore === null) {
          expect(d.reason).toBe("no_window");
          expect(firstAllowedMinute(o, firstMinute, s.now + 8 * 24 * HOUR)).toBeNull();
          return;
        }
        const notBefore = d.notBefore.getTime();
        expect(notBefore).toBeGreaterThan(s.now);
        expect(notBefore % MINUTE).toBe(0);
        expect(o.allowed(notBefore)).toBe(true);
        expect(firstAllowedMinute(o, firstMinute, notBefore)).toBeNull();
        expect(d.reason).toBe(o.capOk(s.now) ? "outside_window" : "frequency_cap");
      }),
      { numRuns: 400 },
    );
  }, 120_000);
});
