import { describe, expect, it } from "vitest";
import { nextPollDelay, POLL_MS, retryAfterMs } from "./poll-delay";

describe("the inbox poller's pace", () => {
  it("polls every few seconds while the answers are good", () => {
    expect(nextPollDelay({ status: 200 }, 0)).toBe(POLL_MS);
  });

  it("on 429 waits as long as Retry-After says (seconds or a date), never less than the interval", () => {
    expect(nextPollDelay({ status: 429, retryAfter: "37" }, 1)).toBe(37_000);
    expect(nextPollDelay({ status: 429, retryAfter: "0" }, 1)).toBe(POLL_MS);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(nextPollDelay({ status: 429, retryAfter: "Thu, 01 Jan 2026 00:00:45 GMT" }, 1, now)).toBe(45_000);
    // Absurd or unreadable: capped, or the ordinary backoff.
    expect(nextPollDelay({ status: 429, retryAfter: "86400" }, 1)).toBe(5 * 60_000);
    expect(nextPollDelay({ status: 429, retryAfter: "soon" }, 1)).toBe(2 * POLL_MS);
    expect(nextPollDelay({ status: 429 }, 1)).toBe(2 * POLL_MS);
  });

  it("backs off on other failures, doubling up to a minute", () => {
    expect([1, 2, 3, 4, 10].map((n) => nextPollDelay({ status: 500 }, n))).toEqual([
      8_000, 16_000, 32_000, 60_000, 60_000,
    ]);
    expect(nextPollDelay({ status: null }, 1)).toBe(8_000);
    expect(nextPollDelay({ status: 404 }, 2)).toBe(16_000);
  });

  it("reads Retry-After as delay-seconds or an HTTP date", () => {
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs(" 12 ")).toBe(12_000);
    expect(retryAfterMs("Thu, 01 Jan 2026 00:00:10 GMT", Date.parse("2026-01-01T00:00:20Z"))).toBe(0);
    expect(retryAfterMs("-5")).toBeNull();
  });
});
