import { afterEach, describe, expect, it } from "vitest";
import { easterSunday, parseReplyDate, zonedIso } from "./reply-date";

// Monday 2 March 2026, 09:00 in Chicago (CST, UTC-6).
const now = new Date("2026-03-02T15:00:00Z");
const chicago = { now, timeZone: "America/Chicago" };
const iso = (text: string, options: Partial<Parameters<typeof parseReplyDate>[1]> = {}) =>
  parseReplyDate(text, { ...chicago, ...options })?.iso ?? null;

describe("parseReplyDate", () => {
  it("reads weekdays and parts of the day at dealership hours", () => {
    expect(iso("Thursday morning")).toBe("2026-03-05T09:00:00-06:00");
    expect(iso("could I swing by Wednesday around 3?")).toBe("2026-03-04T15:00:00-06:00");
    expect(iso("tomorrow at 4:30pm")).toBe("2026-03-03T16:30:00-06:00");
    expect(iso("Saturday afternoon")).toBe("2026-03-07T14:00:00-06:00");
  });

  it("reads Spanish", () => {
    expect(iso("el jueves en la tarde", { language: "es" })).toBe("2026-03-05T14:00:00-06:00");
    expect(iso("paso mañana a las 4", { language: "es" })).toBe(
      "2026-03-03T16:00:00-05:00".replace("-05:00", "-06:00"),
    );
    expect(iso("en abril", { language: "es" })).toBe("2026-04-01T10:00:00-05:00");
  });

  it("places a later date in that day's offset (across the DST change of 8 March 2026)", () => {
    expect(iso("check back with me in April")).toBe("2026-04-01T10:00:00-05:00");
    expect(iso("next Tuesday at 10am")).toBe("2026-03-10T10:00:00-05:00");
  });

  it("maps holidays, seasons and vague phrases to documented dates", () => {
    // Easter 2026 is 5 April; the week after it starts Monday 13 April.
    expect(easterSunday(2026)).toEqual({ year: 2026, month: 4, day: 5 });
    expect(iso("the week after Easter")).toBe("2026-04-13T10:00:00-05:00");
    expect(iso("después de semana santa", { language: "es" })).toBe("2026-04-06T10:00:00-05:00");
    expect(iso("maybe once school starts")).toBe("2026-08-15T10:00:00-05:00");
    expect(
      iso("once school starts", { defaults: { schoolStarts: { month: 9, day: 1 }, taxRefund: { month: 3, day: 1 } } }),
    ).toBe("2026-09-01T10:00:00-05:00");
    expect(iso("after I get my tax refund")).toBe("2027-03-01T10:00:00-06:00");
    expect(iso("text me after the holidays")).toBe("2027-01-02T10:00:00-06:00");
    expect(iso("maybe next year")).toBe("2027-01-15T10:00:00-06:00");
    expect(iso("ask me again in the summer")).toBe("2026-06-21T10:00:00-05:00");
    expect(iso("give me a few weeks")).toBe("2026-03-23T10:00:00-05:00");
    expect(iso("en unos meses", { language: "es" })).toBe("2026-06-02T10:00:00-05:00");
  });

  it('skips "now" for the time that follows it', () => {
    expect(iso("not right now, check back with me in March")).toBe("2027-03-01T10:00:00-06:00");
    expect(iso("ahorita no, tal vez en abril", { language: "es" })).toBe("2026-04-01T10:00:00-05:00");
    expect(iso("not right now")).toBeNull();
  });

  it("gives null when no time is named", () => {
    expect(iso("maybe later")).toBeNull();
    expect(iso("más adelante", { language: "es" })).toBeNull();
    expect(iso("not interested")).toBeNull();
    expect(iso("maybe later this year")).toBeNull();
  });

  it("follows the injected clock and zone, not the machine's", () => {
    // 23:30 on Monday in Los Angeles is already Tuesday in UTC: "tomorrow" is Tuesday there.
    const lateMonday = new Date("2026-03-03T07:30:00Z");
    expect(iso("tomorrow at 10am", { now: lateMonday, timeZone: "America/Los_Angeles" })).toBe(
      "2026-03-03T10:00:00-08:00",
    );
    expect(iso("tomorrow at 10am", { now: lateMonday, timeZone: "Europe/Madrid" })).toBe("2026-03-04T10:00:00+01:00");
  });
});

describe("zonedIso", () => {
  const saved = process.env.TZ;
  afterEach(() => {
    process.env.TZ = saved;
  });

  it("does not depend on the process time zone", () => {
    process.env.TZ = "Asia/Tokyo";
    expect(zonedIso(Date.parse("2026-07-01T12:00:00Z"), "America/New_York")).toBe("2026-07-01T08:00:00-04:00");
    expect(iso("Thursday morning")).toBe("2026-03-05T09:00:00-06:00");
  });
});
