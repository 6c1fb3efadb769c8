import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db/pool";
import { enforceRateLimit, RATE_LIMITS } from "./rate-limit";

describe("enforceRateLimit", () => {
  it("allows the limit, then refuses with a Retry-After within the window", async () => {
    const subject = randomUUID();
    for (let i = 0; i < RATE_LIMITS.auth.limit; i++) await enforceRateLimit("auth", subject);
    const err = await enforceRateLimit("auth", subject).catch((e) => e);
    expect(err).toMatchObject({ code: "rate_limited" });
    expect(err.retryAfterSeconds).toBeGreaterThan(0);
    expect(err.retryAfterSeconds).toBeLessThanOrEqual(RATE_LIMITS.auth.windowSeconds);
    // Another subject is unaffected.
    await expect(enforceRateLimit("auth", randomUUID())).resolves.toBeUndefined();
  });

  it("stores no subject in clear, only an HMAC bucket name", async () => {
    const subject = `203.0.113.7|someone-${randomUUID()}@example.com`;
    await enforceRateLimit("auth", subject);
    const rows = await pool()`select bucket from private.rate_limit_buckets`;
    for (const { bucket } of rows) expect(bucket).not.toContain("example.com");
    expect(rows.some((r) => /^auth:[A-Za-z0-9_-]{43}$/.test(r.bucket))).toBe(true);
  });
});
