import { describe, expect, it } from "vitest";
import { checkFrequency, earliestUnderCap, frequencyCapSchema, maxMessagesPer24h } from "./send-frequency";

const now = new Date("2025-07-07T16:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

describe("maxMessagesPer24h", () => {
  it.each([
    ["+13055550101", "FL", "Fla. Stat. § 501.616(6)(b)"],
    ["+14055550101", "OK", "Okla. Stat. tit. 15, § 775C.4"],
    ["+14105550101", "MD", "Md. Code, Com. Law § 14-4503"],
  ])("%s is under %s's 3-per-24-hours cap", (e164, id, citation) => {
    expect(maxMessagesPer24h(e164)).toMatchObject({
      id,
      citation,
      maxMessages: 3,
      periodHours: 24,
      basis: "area-code",
    });
  });

  it("has no state cap in New York or Texas", () => {
    expect(maxMessagesPer24h("+12125550101")).toBeNull();
    expect(maxMessagesPer24h("+12145550101")).toBeNull();
  });

  it("applies the cap to a number of unknown location, which may be in one of those states", () => {
    expect(maxMessagesPer24h("+18005550199")).toMatchObject({
      maxMessages: 3,
      periodHours: 24,
      basis: "unknown-location",
    });
  });
});

describe("earliestUnderCap", () => {
  const cap = { maxMessages: 3, periodHours: 24 };

  it("is now while fewer than the maximum fall in the period", () => {
    expect(earliestUnderCap([], cap, now)).toEqual(now);
    expect(earliestUnderCap([hoursAgo(1), hoursAgo(2)], cap, now)).toEqual(now);
    expect(earliestUnderCap([hoursAgo(1), hoursAgo(2), hoursAgo(24)], cap, now)).toEqual(now);
  });

  it("is when the oldest of the newest `max` sends leaves the period, in any input order", () => {
    expect(earliestUnderCap([hoursAgo(2), hoursAgo(30), hoursAgo(1), hoursAgo(5)], cap, now)).toEqual(
      new Date(hoursAgo(5).getTime() + 24 * 3_600_000),
    );
  });

  it("counts a send stamped in the future (clock skew) as sent now", () => {
    const future = new Date(now.getTime() + 3_600_000);
    expect(earliestUnderCap([future], { maxMessages: 1, periodHours: 168 }, now)).toEqual(
      new Date(now.getTime() + 168 * 3_600_000),
    );
  });
});

describe("checkFrequency", () => {
  it("reports the cap that holds the send back longest", () => {
    const history = [
      { campaignId: "c1", sentAt: hoursAgo(1) },
      { campaignId: "c1", sentAt: hoursAgo(2) },
      { campaignId: "c1", sentAt: hoursAgo(3) },
    ];
    // Florida: state cap until hoursAgo(3)+24h; dealership default (1 per 7 days) until hoursAgo(1)+168h.
    expect(checkFrequency("+13055550101", "c1", history, now)).toEqual({
      earliest: new Date(hoursAgo(1).getTime() + 168 * 3_600_000),
      limitedBy: "dealership_cap",
    });
    expect(checkFrequency("+13055550101", "c1", history, now, { maxMessages: 5, periodHours: 24 })).toEqual({
      earliest: new Date(hoursAgo(3).getTime() + 24 * 3_600_000),
      limitedBy: "state_campaign_cap",
    });
    expect(checkFrequency("+13055550101", "c2", history, now, { maxMessages: 5, periodHours: 24 })).toEqual({
      earliest: now,
      limitedBy: null,
    });
  });

  it("rounds a postponement up to the next whole minute", () => {
    const sentAt = new Date("2025-07-01T10:00:30.500Z");
    expect(checkFrequency("+12125550101", "c1", [{ campaignId: "c0", sentAt }], now).earliest).toEqual(
      new Date("2025-07-08T10:01:00Z"),
    );
  });
});

describe("frequencyCapSchema", () => {
  it("accepts sensible caps and refuses zero or fractional ones", () => {
    expect(frequencyCapSchema.safeParse({ maxMessages: 1, periodHours: 168 }).success).toBe(true);
    expect(frequencyCapSchema.safeParse({ maxMessages: 0, periodHours: 168 }).success).toBe(false);
    expect(frequencyCapSchema.safeParse({ maxMessages: 1.5, periodHours: 168 }).success).toBe(false);
    expect(frequencyCapSchema.safeParse({ maxMessages: 1, periodHours: 0 }).success).toBe(false);
  });
});
