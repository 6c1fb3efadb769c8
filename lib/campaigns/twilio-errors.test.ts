import { describe, expect, it } from "vitest";
import { SmsSendError } from "@/lib/sms/sms-gateway";
import {
  autoPauseDecision,
  classifyTwilioFailure,
  DEFAULT_AUTO_PAUSE_THRESHOLDS,
  DEFAULT_QUEUE_RETRY_POLICY,
  nextRetry,
  retryDelayMs,
  twilioFailureFromError,
} from "./twilio-errors";

describe("classifyTwilioFailure", () => {
  it.each([
    [21211, 400, "permanent", "invalid", "failed"],
    [21612, 400, "permanent", "unreachable", "failed"],
    [21614, 400, "permanent", "not_sms_capable", "failed"],
    [21635, 400, "permanent", "landline", "failed"],
    [30005, null, "permanent", "invalid", "failed"],
    [30006, null, "permanent", "landline", "failed"],
    [21610, 400, "opt_out", null, "opted_out"],
    [20429, 429, "retryable", null, "none"],
    [30001, null, "retryable", null, "none"],
    [21611, 400, "retryable", null, "none"],
    [30007, null, "carrier_filtered", null, "filtered"],
    [20003, 401, "fatal", null, "failed"],
    [21606, 400, "fatal", null, "failed"],
    [30034, null, "fatal", null, "failed"],
  ] as const)("%i (HTTP %s) is %s", (code, status, kind, phoneMark, bucket) => {
    const f = classifyTwilioFailure({ code, status });
    expect(f).toMatchObject({ kind, phoneMark, bucket, code, status, mayHaveBeenSent: false });
    expect(f.description).toContain(String(code));
  });

  it("retries any 5xx and a bare 429, refuses 401/403 as fatal, fails other 4xx", () => {
    expect(classifyTwilioFailure({ status: 500 }).kind).toBe("retryable");
    expect(classifyTwilioFailure({ status: 503, code: 20500 }).kind).toBe("retryable");
    expect(classifyTwilioFailure({ status: 429 }).kind).toBe("retryable");
    expect(classifyTwilioFailure({ status: 401 }).kind).toBe("fatal");
    expect(classifyTwilioFailure({ status: 400, code: 21604 })).toMatchObject({
      kind: "permanent",
      phoneMark: null,
      description: "Twilio refused the message (error 21604)",
    });
    expect(classifyTwilioFailure({ code: 30999 })).toMatchObject({
      kind: "permanent",
      description: "Delivery failed (error 30999)",
    });
  });

  it("retries network failures, and says when the request may already have reached Twilio", () => {
    expect(classifyTwilioFailure({ network: "ETIMEDOUT" })).toMatchObject({
      kind: "retryable",
      mayHaveBeenSent: true,
      description: "Could not reach Twilio (ETIMEDOUT)",
    });
    expect(classifyTwilioFailure({ network: "ECONNRESET" })).toMatchObject({
      kind: "retryable",
      mayHaveBeenSent: true,
    });
    expect(classifyTwilioFailure({ network: "ECONNREFUSED" })).toMatchObject({
      kind: "retryable",
      mayHaveBeenSent: false,
    });
    expect(classifyTwilioFailure({ network: "ENOTFOUND" })).toMatchObject({
      kind: "retryable",
      mayHaveBeenSent: false,
    });
    expect(classifyTwilioFailure({})).toMatchObject({ kind: "retryable", mayHaveBeenSent: true });
  });
});

describe("twilioFailureFromError", () => {
  it("reads the gateway's SmsSendError", () => {
    expect(twilioFailureFromError(new SmsSendError("Twilio answered 400 (error 21211)", 400, 21211, false))).toEqual({
      status: 400,
      code: 21211,
    });
    expect(
      classifyTwilioFailure(
        twilioFailureFromError(new SmsSendError("Could not reach Twilio (ECONNREFUSED)", null, null, true)),
      ),
    ).toMatchObject({
      kind: "retryable",
      mayHaveBeenSent: false,
    });
    expect(
      classifyTwilioFailure(
        twilioFailureFromError(new SmsSendError("Could not reach Twilio (ECONNRESET)", null, null, false)),
      ),
    ).toMatchObject({
      kind: "retryable",
      mayHaveBeenSent: true,
    });
  });

  it("reads a twilio RestException-like error and a Node network error", () => {
    expect(twilioFailureFromError({ status: 429, code: 20429, message: "Too many" })).toEqual({
      status: 429,
      code: 20429,
    });
    expect(twilioFailureFromError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))).toEqual({
      network: "ECONNRESET",
    });
    expect(
      twilioFailureFromError(
        new TypeError("fetch failed", { cause: Object.assign(new Error("x"), { code: "ETIMEDOUT" }) }),
      ),
    ).toEqual({ network: "ETIMEDOUT" });
    expect(twilioFailureFromError(undefined)).toEqual({ network: "network error" });
  });
});

describe("retryDelayMs", () => {
  const policy = { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 10_000 };

  it("doubles per retry, capped, with half of it random", () => {
    expect([1, 2, 3, 4, 5].map((r) => retryDelayMs(r, policy, () => 0))).toEqual([500, 1000, 2000, 4000, 5000]);
    expect([1, 2, 3, 4, 5].map((r) => retryDelayMs(r, policy, () => 0.999999))).toEqual([
      1000, 2000, 4000, 8000, 10_000,
    ]);
    expect(retryDelayMs(2, policy, () => 0.5)).toBe(1500);
  });

  it("stays within [ceiling/2, ceiling] whatever the random source returns", () => {
    expect(retryDelayMs(1, policy, () => -3)).toBe(500);
    expect(retryDelayMs(1, policy, () => 7)).toBe(1000);
    for (let i = 0; i < 200; i++) {
      const d = retryDelayMs(3, policy);
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThanOrEqual(4000);
    }
  });

  it("uses the default policy: 15-30 s first, at most 30 minutes", () => {
    expect(retryDelayMs(1, undefined, () => 0)).toBe(15_000);
    expect(retryDelayMs(20, undefined, () => 1)).toBe(DEFAULT_QUEUE_RETRY_POLICY.maxDelayMs);
  });
});

describe("nextRetry", () => {
  const now = new Date("2025-07-07T15:00:00Z");
  const retryable = classifyTwilioFailure({ code: 20429, status: 429 });

  it("schedules a retryable failure until maxAttempts, then gives up", () => {
    expect(nextRetry(retryable, 1, now, DEFAULT_QUEUE_RETRY_POLICY, () => 0)).toEqual({
      retry: true,
      retryAt: new Date(now.getTime() + 15_000),
    });
    expect(nextRetry(retryable, 5, now, DEFAULT_QUEUE_RETRY_POLICY, () => 0)).toMatchObject({ retry: true });
    expect(nextRetry(retryable, 6, now)).toEqual({
      retry: false,
      reason: "Too many requests (20429); gave up after 6 attempts",
    });
  });

  it("never retries a permanent failure, an opt-out, carrier filtering or a fatal one", () => {
    for (const code of [21211, 21610, 30007, 20003])
      expect(nextRetry(classifyTwilioFailure({ code }), 1, now).retry).toBe(false);
  });
});

describe("autoPauseDecision", () => {
  const base = { attempted: 100, failed: 0, filtered: 0, optedOut: 0 };

  it("decides nothing before the minimum sample", () => {
    expect(autoPauseDecision({ attempted: 49, failed: 40, filtered: 9, optedOut: 0 })).toBeNull();
  });

  it("is null at or under every threshold", () => {
    expect(autoPauseDecision({ attempted: 100, failed: 10, filtered: 2, optedOut: 4 })).toBeNull();
  });

  it("pauses on carrier filtering above its rate, with a reason a person can act on", () => {
    const d = autoPauseDecision({ ...base, filtered: 3 });
    expect(d).toMatchObject({ metric: "carrier_filtering", count: 3, attempted: 100, rate: 0.03, threshold: 0.02 });
    expect(d!.reason).toBe(
      "Paused automatically: 3 of 100 messages (3.0%) were filtered by carriers (error 30007). Review the wording and the sender's A2P 10DLC registration before resuming. The limit is 2.0%.",
    );
  });

  it("pauses on opt-outs and on failures above their rates", () => {
    expect(autoPauseDecision({ ...base, optedOut: 5 })).toMatchObject({ metric: "opt_outs", rate: 0.05 });
    expect(autoPauseDecision({ ...base, failed: 11 })).toMatchObject({ metric: "failures", rate: 0.11 });
  });

  it("reports the most harmful breach first", () => {
    expect(autoPauseDecision({ ...base, failed: 50, filtered: 10, optedOut: 10 })?.metric).toBe("carrier_filtering");
    expect(autoPauseDecision({ ...base, failed: 50, optedOut: 10 })?.metric).toBe("opt_outs");
  });

  it("takes configurable thresholds and refuses nonsense ones and impossible counts", () => {
    const strict = { ...DEFAULT_AUTO_PAUSE_THRESHOLDS, minSample: 10, maxFailureRate: 0.05 };
    expect(autoPauseDecision({ attempted: 10, failed: 1, filtered: 0, optedOut: 0 }, strict)).toMatchObject({
      metric: "failures",
    });
    expect(() => autoPauseDecision(base, { ...DEFAULT_AUTO_PAUSE_THRESHOLDS, maxOptOutRate: 2 })).toThrow();
    expect(() => autoPauseDecision(base, { ...DEFAULT_AUTO_PAUSE_THRESHOLDS, minSample: 0 })).toThrow();
    expect(() => autoPauseDecision({ attempted: 10, failed: 8, filtered: 2, optedOut: 1 })).toThrow(RangeError);
    expect(() => autoPauseDecision({ attempted: 10, failed: -1, filtered: 0, optedOut: 0 })).toThrow(
      "failed must be a whole number",
    );
    expect(() => autoPauseDecision({ attempted: 10.5, failed: 0, filtered: 0, optedOut: 0 })).toThrow(RangeError);
  });
});
