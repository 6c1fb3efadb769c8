import { describe, expect, it } from "vitest";
import {
  dealershipSendHoursSchema,
  nextAllowedSendTime,
  sendWindowFor,
  type SendDecision,
  type SendPolicy,
} from "./send-window";

// 2025: DST from Sunday March 9 to Sunday November 2. July 5 is a Saturday, July 6 a Sunday,
// July 7 a Monday. Numbers are fictional (555-01XX); only the area code matters here.
const NY = "+12125550101"; // New York, Eastern
const FL = "+13055550101"; // Miami, Eastern, 8-20
const OK = "+14055550101"; // Oklahoma City, Central, 8-20
const MD = "+14105550101"; // Baltimore, Eastern, 8-20
const TX = "+12145550101"; // Dallas, Central, 9-21 (Sunday 12-21)
const EL_PASO = "+19155550101"; // Texas, Mountain
const WA = "+12065550101"; // Seattle, Pacific, 8-20
const CA = "+12135550101"; // Los Angeles, Pacific, federal
const HI = "+18085550101"; // Hawaii, no DST
const AZ = "+16025550101"; // Phoenix, no DST
const AK = "+19075550101"; // Alaska (Anchorage, Juneau, Adak; Honolulu as Google lists it)
const PR = "+17875550101"; // Puerto Rico, Atlantic, no DST
const PANHANDLE = "+18505550101"; // Florida, Central and Eastern
const IDAHO = "+12085550101"; // Mountain and Pacific
const NAVAJO = "+19285550101"; // Arizona: Phoenix and (Navajo Nation) Denver
const TOLL_FREE = "+18005550199";
const CANADA = "+14165550101";
const UK = "+447700900123";

function outcome(d: SendDecision) {
  return d.allowed
    ? { allowed: true, validitySeconds: d.validitySeconds }
    : { allowed: false, notBefore: d.notBefore?.toISOString() ?? null };
}
const allowedFor = (validitySeconds: number) => ({ allowed: true, validitySeconds });
const waitUntil = (iso: string) => ({ allowed: false, notBefore: iso });

describe("nextAllowedSendTime: federal and state hours", () => {
  it.each([
    ["NY before 8:00", NY, "2025-07-07T11:59:00Z", waitUntil("2025-07-07T12:00:00.000Z")],
    ["NY at 8:00", NY, "2025-07-07T12:00:00Z", allowedFor(14_400)],
    ["NY at 20:00, one hour left", NY, "2025-07-08T00:00:00Z", allowedFor(3600)],
    ["NY at 20:58", NY, "2025-07-08T00:58:00Z", allowedFor(120)],
    ["NY at 21:00", NY, "2025-07-08T01:00:00Z", waitUntil("2025-07-08T12:00:00.000Z")],
    ["NY at 3:00 at night", NY, "2025-07-08T07:00:00Z", waitUntil("2025-07-08T12:00:00.000Z")],
    ["Florida at 19:58", FL, "2025-07-07T23:58:00Z", allowedFor(120)],
    ["Florida at 20:00", FL, "2025-07-08T00:00:00Z", waitUntil("2025-07-08T12:00:00.000Z")],
    ["Oklahoma at 19:00 CDT", OK, "2025-07-08T00:00:00Z", allowedFor(3600)],
    ["Oklahoma at 20:00 CDT", OK, "2025-07-08T01:00:00Z", waitUntil("2025-07-08T13:00:00.000Z")],
    ["Maryland at 20:30", MD, "2025-07-08T00:30:00Z", waitUntil("2025-07-08T12:00:00.000Z")],
    ["Washington at 7:59 PDT", WA, "2025-07-07T14:59:00Z", waitUntil("2025-07-07T15:00:00.000Z")],
    ["Washington at 20:00 PDT", WA, "2025-07-08T03:00:00Z", waitUntil("2025-07-08T15:00:00.000Z")],
    ["California at 20:30 PDT (federal)", CA, "2025-07-08T03:30:00Z", allowedFor(1800)],
    ["Texas Monday 8:30", TX, "2025-07-07T13:30:00Z", waitUntil("2025-07-07T14:00:00.000Z")],
    ["Texas Saturday 9:00", TX, "2025-07-05T14:00:00Z", allowedFor(14_400)],
    ["Texas Saturday 21:00 -> Sunday noon", TX, "2025-07-06T02:00:00Z", waitUntil("2025-07-06T17:00:00.000Z")],
    ["Texas Sunday 9:00 -> noon", TX, "2025-07-06T14:00:00Z", waitUntil("2025-07-06T17:00:00.000Z")],
    ["Texas Sunday noon", TX, "2025-07-06T17:00:00Z", allowedFor(14_400)],
    ["Texas Sunday 20:30", TX, "2025-07-07T01:30:00Z", allowedFor(1800)],
    ["El Paso Sunday 11:30 MDT -> noon MDT", EL_PASO, "2025-07-06T17:30:00Z", waitUntil("2025-07-06T18:00:00.000Z")],
    ["Hawaii 7:00", HI, "2025-07-07T17:00:00Z", waitUntil("2025-07-07T18:00:00.000Z")],
    ["Arizona 7:30 in July", AZ, "2025-07-07T14:30:00Z", waitUntil("2025-07-07T15:00:00.000Z")],
    ["Arizona 7:30 in January", AZ, "2025-01-06T14:30:00Z", waitUntil("2025-01-06T15:00:00.000Z")],
    ["Alaska: the western zone opens last", AK, "2025-07-07T17:30:00Z", waitUntil("2025-07-07T18:00:00.000Z")],
    ["Alaska: Anchorage closes first", AK, "2025-07-08T04:30:00Z", allowedFor(1800)],
    ["Puerto Rico 7:30 AST", PR, "2025-07-07T11:30:00Z", waitUntil("2025-07-07T12:00:00.000Z")],
  ])("%s", (_label, e164, now, expected) => {
    expect(outcome(nextAllowedSendTime(e164, new Date(now)))).toEqual(expected);
  });
});

describe("nextAllowedSendTime: area codes spanning two zones allow only the hours of both", () => {
  it.each([
    ["850 at 8:30 EDT is 7:30 CDT", PANHANDLE, "2025-07-07T12:30:00Z", waitUntil("2025-07-07T13:00:00.000Z")],
    ["850 closes at 20:00 EDT (Florida)", PANHANDLE, "2025-07-07T23:30:00Z", allowedFor(1800)],
    ["850 at 20:00 EDT = 19:00 CDT", PANHANDLE, "2025-07-08T00:00:00Z", waitUntil("2025-07-08T13:00:00.000Z")],
    ["208 opens at 8:00 Pacific", IDAHO, "2025-07-07T14:30:00Z", waitUntil("2025-07-07T15:00:00.000Z")],
    ["208 closes at 21:00 Mountain", IDAHO, "2025-07-08T02:30:00Z", allowedFor(1800)],
    ["928 in July: Navajo Nation on daylight time closes first", NAVAJO, "2025-07-08T02:30:00Z", allowedFor(1800)],
    ["928 in January: both on MST", NAVAJO, "2025-01-07T03:30:00Z", allowedFor(1800)],
  ])("%s", (_label, e164, now, expected) => {
    expect(outcome(nextAllowedSendTime(e164, new Date(now)))).toEqual(expected);
  });
});

describe("nextAllowedSendTime: DST transition days", () => {
  it.each([
    ["spring forward, NY at 1:30 EST -> 8:00 EDT", NY, "2025-03-09T06:30:00Z", waitUntil("2025-03-09T12:00:00.000Z")],
    [
      "day before spring forward, NY 7:30 EST -> 8:00 EST",
      NY,
      "2025-03-08T12:30:00Z",
      waitUntil("2025-03-08T13:00:00.000Z"),
    ],
    ["day before spring forward, NY 20:30 EST", NY, "2025-03-09T01:30:00Z", allowedFor(1800)],
    ["spring forward Sunday in Texas -> noon CDT", TX, "2025-03-09T13:00:00Z", waitUntil("2025-03-09T17:00:00.000Z")],
    ["spring forward: Arizona does not move", AZ, "2025-03-09T14:30:00Z", waitUntil("2025-03-09T15:00:00.000Z")],
    [
      "fall back, NY at 1:30 EDT (first) -> 8:00 EST",
      NY,
      "2025-11-02T05:30:00Z",
      waitUntil("2025-11-02T13:00:00.000Z"),
    ],
    [
      "fall back, NY at 1:30 EST (second) -> 8:00 EST",
      NY,
      "2025-11-02T06:30:00Z",
      waitUntil("2025-11-02T13:00:00.000Z"),
    ],
    ["day before fall back, NY 20:30 EDT", NY, "2025-11-02T00:30:00Z", allowedFor(1800)],
    ["fall back Sunday in Texas -> noon CST", TX, "2025-11-02T14:00:00Z", waitUntil("2025-11-02T18:00:00.000Z")],
    ["fall back, Washington 19:30 PST", WA, "2025-11-03T03:30:00Z", allowedFor(1800)],
  ])("%s", (_label, e164, now, expected) => {
    expect(outcome(nextAllowedSendTime(e164, new Date(now)))).toEqual(expected);
  });
});

describe("nextAllowedSendTime: unknown locations get the nationwide window", () => {
  it.each([
    [
      "toll-free, July, before 8:00 in Hawaii",
      TOLL_FREE,
      "2025-07-07T17:00:00Z",
      waitUntil("2025-07-07T18:00:00.000Z"),
    ],
    ["toll-free, July, 8:00 in Hawaii (14:00 EDT)", TOLL_FREE, "2025-07-07T18:00:00Z", allowedFor(14_400)],
    ["toll-free, July, closes at 20:00 EDT (Florida)", TOLL_FREE, "2025-07-07T21:00:00Z", allowedFor(3 * 3600)],
    ["toll-free, July, 20:00 EDT", TOLL_FREE, "2025-07-08T00:00:00Z", waitUntil("2025-07-08T18:00:00.000Z")],
    ["toll-free, January, closes at 20:00 EST", TOLL_FREE, "2025-01-07T00:30:00Z", allowedFor(1800)],
    ["Canadian number", CANADA, "2025-07-07T17:00:00Z", waitUntil("2025-07-07T18:00:00.000Z")],
    ["UK number", UK, "2025-07-08T00:00:00Z", waitUntil("2025-07-08T18:00:00.000Z")],
    ["garbage", "not a number", "2025-07-07T17:00:00Z", waitUntil("2025-07-07T18:00:00.000Z")],
  ])("%s", (_label, e164, now, expected) => {
    expect(outcome(nextAllowedSendTime(e164, new Date(now)))).toEqual(expected);
  });

  it("says why the location is unknown", () => {
    expect(nextAllowedSendTime(TOLL_FREE, new Date("2025-07-07T18:00:00Z")).location).toEqual({
      kind: "unknown",
      reason: "non-geographic",
    });
    expect(nextAllowedSendTime(CANADA, new Date("2025-07-07T18:00:00Z")).location).toEqual({
      kind: "unknown",
      reason: "outside-us",
    });
  });
});

describe("nextAllowedSendTime: the dealership narrows the window", () => {
  const weekdays10to18: SendPolicy = { dealershipHours: { start: "10:00", end: "18:00", days: [1, 2, 3, 4, 5] } };
  it.each([
    ["Monday 9:00 -> 10:00", weekdays10to18, NY, "2025-07-07T13:00:00Z", waitUntil("2025-07-07T14:00:00.000Z")],
    ["Monday 17:30, half an hour left", weekdays10to18, NY, "2025-07-07T21:30:00Z", allowedFor(1800)],
    ["Saturday -> Monday 10:00", weekdays10to18, NY, "2025-07-05T16:00:00Z", waitUntil("2025-07-07T14:00:00.000Z")],
    [
      "in the recipient's time: Los Angeles opens at 10:00 PDT",
      weekdays10to18,
      CA,
      "2025-07-07T16:00:00Z",
      waitUntil("2025-07-07T17:00:00.000Z"),
    ],
    ["Texas Monday 9:30 -> 10:00", weekdays10to18, TX, "2025-07-07T14:30:00Z", waitUntil("2025-07-07T15:00:00.000Z")],
    [
      "hours in the dealership's zone (9-17 Los Angeles) for a New York lead",
      {
        dealershipHours: { start: "09:00", end: "17:00", days: [0, 1, 2, 3, 4, 5, 6], timeZone: "America/Los_Angeles" },
      },
      NY,
      "2025-07-07T15:00:00Z",
      waitUntil("2025-07-07T16:00:00.000Z"),
    ],
    [
      "… and its end at 17:00 PDT (20:00 EDT)",
      {
        dealershipHours: { start: "09:00", end: "17:00", days: [0, 1, 2, 3, 4, 5, 6], timeZone: "America/Los_Angeles" },
      },
      NY,
      "2025-07-07T23:30:00Z",
      allowedFor(1800),
    ],
    [
      "cannot widen: 6:00-23:00 still waits for 8:00",
      { dealershipHours: { start: "06:00", end: "23:00", days: [0, 1, 2, 3, 4, 5, 6] } },
      NY,
      "2025-07-07T11:00:00Z",
      waitUntil("2025-07-07T12:00:00.000Z"),
    ],
    [
      "cannot widen: 21:30 is still night",
      { dealershipHours: { start: "06:00", end: "24:00", days: [0, 1, 2, 3, 4, 5, 6] } },
      NY,
      "2025-07-08T01:30:00Z",
      waitUntil("2025-07-08T12:00:00.000Z"),
    ],
  ])("%s", (_label, policy, e164, now, expected) => {
    expect(outcome(nextAllowedSendTime(e164, new Date(now), policy))).toEqual(expected);
  });

  it("says so when no minute can ever satisfy every rule (Sunday 9-11 only, Texas opens Sundays at noon)", () => {
    const d = nextAllowedSendTime(TX, new Date("2025-07-07T15:00:00Z"), {
      dealershipHours: { start: "09:00", end: "11:00", days: [0] },
    });
    expect(d).toMatchObject({ allowed: false, reason: "no_window", notBefore: null });
  });

  it("validates the dealership's hours", () => {
    expect(
      dealershipSendHoursSchema.safeParse({ start: "09:00", end: "24:00", days: [1], timeZone: "America/Chicago" })
        .success,
    ).toBe(true);
    const bad = [
      { start: "9:00", end: "17:00", days: [1] },
      { start: "09:00", end: "25:00", days: [1] },
      { start: "17:00", end: "09:00", days: [1] },
      { start: "09:00", end: "17:00", days: [] },
      { start: "09:00", end: "17:00", days: [1, 1] },
      { start: "09:00", end: "17:00", days: [7] },
      { start: "09:00", end: "17:00", days: [1], timeZone: "Mars/Olympus" },
    ];
    for (const b of bad) expect(dealershipSendHoursSchema.safeParse(b).success, JSON.stringify(b)).toBe(false);
    const endBeforeStart = dealershipSendHoursSchema.safeParse({ start: "17:00", end: "09:00", days: [1] });
    expect(endBeforeStart.error?.issues[0]).toMatchObject({
      path: ["end"],
      message: "The end must be after the start",
    });
  });
});

describe("nextAllowedSendTime: validity period", () => {
  it("caps ValidityPeriod at Twilio's 14,400 seconds", () => {
    const d = nextAllowedSendTime(NY, new Date("2025-07-07T13:00:00Z"));
    expect(d).toMatchObject({ allowed: true, validitySeconds: 14_400, windowEndsAt: new Date("2025-07-08T01:00:00Z") });
  });

  it("counts whole seconds left, rounding down so the message never outlives the window", () => {
    expect(outcome(nextAllowedSendTime(NY, new Date("2025-07-08T00:30:00.750Z")))).toEqual(allowedFor(1799));
  });

  it("does not start a send with less than a minute left, by default; a policy can change that", () => {
    const now = new Date("2025-07-08T00:59:30Z"); // 20:59:30 EDT
    expect(nextAllowedSendTime(NY, now)).toMatchObject({
      allowed: false,
      reason: "outside_window",
      notBefore: new Date("2025-07-08T12:00:00Z"),
    });
    expect(outcome(nextAllowedSendTime(NY, now, { minValiditySeconds: 0 }))).toEqual(allowedFor(30));
    expect(outcome(nextAllowedSendTime(NY, new Date("2025-07-08T00:50:00Z"), { minValiditySeconds: 900 }))).toEqual(
      waitUntil("2025-07-08T12:00:00.000Z"),
    );
  });
});

describe("nextAllowedSendTime: frequency caps postpone like the window does", () => {
  const now = new Date("2025-07-07T15:00:00Z"); // Monday 11:00 EDT

  it("default dealership cap: one campaign message per 7 days, rounded up to the minute", () => {
    const d = nextAllowedSendTime(
      NY,
      now,
      {},
      { campaignId: "c2", sends: [{ campaignId: "c1", sentAt: new Date("2025-07-04T15:00:10Z") }] },
    );
    expect(d).toMatchObject({ allowed: false, reason: "frequency_cap", notBefore: new Date("2025-07-11T15:01:00Z") });
  });

  it("a send older than 7 days does not count", () => {
    const d = nextAllowedSendTime(
      NY,
      now,
      {},
      { campaignId: "c2", sends: [{ campaignId: "c1", sentAt: new Date("2025-06-30T14:59:00Z") }] },
    );
    expect(d.allowed).toBe(true);
  });

  it("when the cap lifts at night, the send waits for the morning", () => {
    const d = nextAllowedSendTime(
      NY,
      now,
      {},
      { campaignId: "c2", sends: [{ campaignId: "c1", sentAt: new Date("2025-07-01T01:30:00Z") }] },
    );
    expect(d).toMatchObject({ allowed: false, reason: "frequency_cap", notBefore: new Date("2025-07-08T12:00:00Z") });
  });

  const loose: SendPolicy = { dealershipCap: { maxMessages: 10, periodHours: 24 } };
  const noon = new Date("2025-07-07T16:00:00Z"); // 12:00 EDT
  const threeToday = (campaignId: string) =>
    ["2025-07-07T15:00:00Z", "2025-07-07T14:00:00Z", "2025-07-07T13:00:00Z"].map((t) => ({
      campaignId,
      sentAt: new Date(t),
    }));

  it("Florida: a 4th message of the same campaign within 24 hours waits for the oldest to age out", () => {
    const d = nextAllowedSendTime(FL, noon, loose, { campaignId: "c1", sends: threeToday("c1") });
    expect(d).toMatchObject({ allowed: false, reason: "frequency_cap", notBefore: new Date("2025-07-08T13:00:00Z") });
  });

  it("Florida: messages of other campaigns are another subject", () => {
    expect(nextAllowedSendTime(FL, noon, loose, { campaignId: "c2", sends: threeToday("c1") }).allowed).toBe(true);
  });

  it("New York has no state cap; the dealership cap still applies", () => {
    expect(nextAllowedSendTime(NY, noon, loose, { campaignId: "c1", sends: threeToday("c1") }).allowed).toBe(true);
    expect(
      nextAllowedSendTime(
        NY,
        noon,
        { dealershipCap: { maxMessages: 3, periodHours: 24 } },
        { campaignId: "c1", sends: threeToday("c1") },
      ),
    ).toMatchObject({
      reason: "frequency_cap",
      notBefore: new Date("2025-07-08T13:00:00Z"),
    });
  });

  it("a number of unknown location gets the state cap too", () => {
    const d = nextAllowedSendTime(TOLL_FREE, new Date("2025-07-07T19:00:00Z"), loose, {
      campaignId: "c1",
      sends: threeToday("c1"),
    });
    expect(d).toMatchObject({ allowed: false, reason: "frequency_cap", notBefore: new Date("2025-07-08T18:00:00Z") });
  });
});

describe("bad input", () => {
  it("refuses an invalid clock instead of guessing", () => {
    expect(() => nextAllowedSendTime(NY, new Date("not a date"))).toThrow(RangeError);
    expect(() => sendWindowFor(NY, { now: new Date(Number.NaN) })).toThrow(RangeError);
  });
});

describe("sendWindowFor", () => {
  it("names the rules with their citations and gives the window open now or next", () => {
    const w = sendWindowFor(TX, { now: new Date("2025-07-06T14:00:00Z") });
    expect(w.location).toEqual({ kind: "area-code", areaCode: "214", state: "TX", zones: ["America/Chicago"] });
    expect(w.rules.map((r) => r.id)).toEqual(["federal", "TX"]);
    expect(w.rules[0]!.citation).toBe("47 CFR 64.1200(c)(1)");
    expect(w.rules[1]!.citation).toContain("301.051");
    expect(w.window).toEqual({ start: new Date("2025-07-06T17:00:00Z"), end: new Date("2025-07-07T02:00:00Z") });
  });

  it("reports the open window with its start in the past", () => {
    const w = sendWindowFor(NY, { now: new Date("2025-07-07T15:00:00Z") });
    expect(w.window).toEqual({ start: new Date("2025-07-07T12:00:00Z"), end: new Date("2025-07-08T01:00:00Z") });
    expect(w.rules.map((r) => r.id)).toEqual(["federal"]);
  });

  it("lists the nationwide rule and the dealership's hours where they apply", () => {
    const hours = { start: "10:00", end: "16:00", days: [1], timeZone: "America/New_York" };
    const w = sendWindowFor(TOLL_FREE, { now: new Date("2025-07-07T15:00:00Z"), dealershipHours: hours });
    expect(w.rules.map((r) => r.id)).toEqual(["federal", "unknown-location", "dealership"]);
    // From 8:00 in Hawaii (18:00Z) to the dealership's 16:00 EDT (20:00Z).
    expect(w.window).toEqual({ start: new Date("2025-07-07T18:00:00Z"), end: new Date("2025-07-07T20:00:00Z") });
  });
});
