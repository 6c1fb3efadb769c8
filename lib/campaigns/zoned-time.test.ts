import { describe, expect, it } from "vitest";
import { addLocalDays, instantOfWallTime, isKnownTimeZone, wallTimeAt } from "./zoned-time";

const iso = (ms: number) => new Date(ms).toISOString();

describe("wallTimeAt", () => {
  it("reads the wall clock, weekday and minute of the day in a zone", () => {
    const w = wallTimeAt(Date.parse("2025-07-06T15:30:45Z"), "America/Chicago");
    expect(w).toEqual({ year: 2025, month: 7, day: 6, hour: 10, minute: 30, second: 45, weekday: 0, minuteOfDay: 630 });
  });

  it("shows midnight as hour 0, not 24", () => {
    expect(wallTimeAt(Date.parse("2025-01-15T05:00:00Z"), "America/New_York").hour).toBe(0);
  });

  it("follows DST in New York and not in Phoenix or Honolulu", () => {
    const july = Date.parse("2025-07-01T16:00:00Z");
    const january = Date.parse("2025-01-01T16:00:00Z");
    expect(wallTimeAt(july, "America/New_York").hour).toBe(12);
    expect(wallTimeAt(january, "America/New_York").hour).toBe(11);
    expect(wallTimeAt(july, "America/Phoenix").hour).toBe(9);
    expect(wallTimeAt(january, "America/Phoenix").hour).toBe(9);
    expect(wallTimeAt(july, "Pacific/Honolulu").hour).toBe(6);
    expect(wallTimeAt(january, "Pacific/Honolulu").hour).toBe(6);
  });

  it("refuses an unknown zone rather than falling back to UTC", () => {
    expect(() => wallTimeAt(0, "America/Atlantis")).toThrow(RangeError);
    expect(isKnownTimeZone("America/Atlantis")).toBe(false);
    expect(isKnownTimeZone("America/Adak")).toBe(true);
  });
});

describe("instantOfWallTime", () => {
  it("converts on ordinary days in and out of DST", () => {
    expect(iso(instantOfWallTime(2025, 7, 4, 8 * 60, "America/New_York"))).toBe("2025-07-04T12:00:00.000Z");
    expect(iso(instantOfWallTime(2025, 12, 4, 8 * 60, "America/New_York"))).toBe("2025-12-04T13:00:00.000Z");
    expect(iso(instantOfWallTime(2025, 7, 4, 21 * 60, "America/Los_Angeles"))).toBe("2025-07-05T04:00:00.000Z");
  });

  it("on the spring-forward day: 8:00 is already daylight time, a time in the gap lands after it", () => {
    // 2025-03-09: 02:00 EST -> 03:00 EDT.
    expect(iso(instantOfWallTime(2025, 3, 9, 8 * 60, "America/New_York"))).toBe("2025-03-09T12:00:00.000Z");
    expect(iso(instantOfWallTime(2025, 3, 9, 1 * 60 + 59, "America/New_York"))).toBe("2025-03-09T06:59:00.000Z");
    expect(iso(instantOfWallTime(2025, 3, 9, 2 * 60 + 30, "America/New_York"))).toBe("2025-03-09T07:30:00.000Z"); // = 03:30 EDT
  });

  it("on the fall-back day: 8:00 is standard time, a repeated time gives its first occurrence", () => {
    // 2025-11-02: 02:00 EDT -> 01:00 EST.
    expect(iso(instantOfWallTime(2025, 11, 2, 8 * 60, "America/Chicago"))).toBe("2025-11-02T14:00:00.000Z");
    expect(iso(instantOfWallTime(2025, 11, 2, 1 * 60 + 30, "America/New_York"))).toBe("2025-11-02T05:30:00.000Z");
  });

  it("treats minute 1440 as the next midnight", () => {
    expect(iso(instantOfWallTime(2025, 12, 31, 1440, "America/Denver"))).toBe("2026-01-01T07:00:00.000Z");
  });

  it("round-trips with wallTimeAt for every hour of a year outside the gaps", () => {
    for (const zone of ["America/New_York", "America/Adak", "Pacific/Guam", "Asia/Kathmandu"]) {
      for (let t = Date.parse("2025-01-01T00:00:00Z"); t < Date.parse("2026-01-01T00:00:00Z"); t += 5 * 3_600_000) {
        const w = wallTimeAt(t, zone);
        const back = instantOfWallTime(w.year, w.month, w.day, w.minuteOfDay, zone);
        // In the autumn overlap the first occurrence comes back, an hour early at most.
        expect(t - back === 0 || t - back === 3_600_000).toBe(true);
        expect(wallTimeAt(back, zone).minuteOfDay).toBe(w.minuteOfDay);
      }
    }
  });
});

describe("addLocalDays", () => {
  it("crosses months, years and leap days with the right weekday", () => {
    expect(addLocalDays(2024, 2, 28, 1)).toEqual({ year: 2024, month: 2, day: 29, weekday: 4 });
    expect(addLocalDays(2025, 12, 31, 1)).toEqual({ year: 2026, month: 1, day: 1, weekday: 4 });
    expect(addLocalDays(2025, 3, 1, -1)).toEqual({ year: 2025, month: 2, day: 28, weekday: 5 });
  });
});
