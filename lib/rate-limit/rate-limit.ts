import "server-only";
/**
 * Fixed-window rate limits kept in Postgres (shared by every instance). The limits are the ones
 * the security page promises.
 */
import { createHmac } from "node:crypto";
import { pool } from "@/lib/db/pool";
import { serverEnv } from "@/lib/env/server-env";
import { AppError } from "@/lib/server/app-error";

export const RATE_LIMITS = {
  auth: { limit: 5, windowSeconds: 60 },
  api: { limit: 30, windowSeconds: 60 },
  webhook: { limit: 100, windowSeconds: 60 },
  campaignLaunch: { limit: 3, windowSeconds: 60 },
} as const;

export type RateLimitName = keyof typeof RATE_LIMITS;

/** The bucket name: an HMAC, so no IP, e-mail or phone number is stored in the table. */
function bucketFor(name: RateLimitName, subject: string): string {
  const mac = createHmac("sha256", serverEnv().PII_BLIND_INDEX_KEY).update(`rate-limit\u0000${name}\u0000${subject}`);
  return `${name}:${mac.digest("base64url")}`;
}

/** Count a hit; throws AppError("rate_limited") with Retry-After seconds when over the limit. */
export async function enforceRateLimit(name: RateLimitName, subject: string): Promise<void> {
  const { limit, windowSeconds } = RATE_LIMITS[name];
  const [row] = await pool()<{ wait: number }[]>`
    select private.rate_limit_hit(${bucketFor(name, subject)}, ${limit}, ${windowSeconds}) as wait`;
  const wait = row?.wait ?? 0;
  if (wait > 0) {
    throw new AppError("rate_limited", `Too many attempts. Try again in ${wait} seconds.`, undefined, wait);
  }
  if (Math.random() < 0.01) void pool()`select private.rate_limit_prune()`.catch(() => {});
}

/** The caller's IP as the platform's proxy reports it (first x-forwarded-for hop). */
export function clientIp(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "unknown";
}
