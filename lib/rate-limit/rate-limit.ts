import "server-only";
/**
 * Fixed-window rate limits kept in Postgres (shared by every instance). The limits are the ones
 * the security page promises.
 */
import { createHmac } from "node:crypto";
import { withService } from "@/lib/db/scope";
import { serverEnv } from "@/lib/env/server-env";
import { AppError } from "@/lib/server/app-error";

export const RATE_LIMITS = {
  /** Sign-in, per e-mail address (failed attempts; see lib/auth/sign-in.ts). */
  auth: { limit: 5, windowSeconds: 60 },
  /** Sign-in, per e-mail address, the slower window: a patient guesser gets 20 tries an hour. */
  authHourly: { limit: 20, windowSeconds: 3600 },
  /** Sign-in, per client address across all e-mails (password spraying). */
  authAddress: { limit: 30, windowSeconds: 60 },
  /** TOTP codes (sign-in, step-up, enrolment), per user: 5 a minute and 20 an hour. */
  mfa: { limit: 5, windowSeconds: 60 },
  mfaHourly: { limit: 20, windowSeconds: 3600 },
  /** Password-reset e-mails, per address (Auth adds its own once-a-minute limit). */
  passwordReset: { limit: 3, windowSeconds: 3600 },
  api: { limit: 30, windowSeconds: 60 },
  /** Live-update polls (the inbox every 4 s): room for several open tabs, apart from the API budget. */
  poll: { limit: 240, windowSeconds: 60 },
  webhook: { limit: 100, windowSeconds: 60 },
  campaignLaunch: { limit: 3, windowSeconds: 60 },
} as const;

export type RateLimitName = keyof typeof RATE_LIMITS;

/** The bucket name: an HMAC, so no IP, e-mail or phone number is stored in the table. */
function bucketFor(name: RateLimitName, subject: string): string {
  const mac = createHmac("sha256", serverEnv().PII_BLIND_INDEX_KEY).update(`rate-limit\u0000${name}\u0000${subject}`);
  return `${name}:${mac.digest("base64url")}`;
}

/**
 * Count a hit; returns 0 when allowed, else the seconds until the window resets. The hit counts
 * either way, so parallel requests can never overrun the limit.
 */
export async function takeRateLimitSlot(name: RateLimitName, subject: string): Promise<number> {
  const { limit, windowSeconds } = RATE_LIMITS[name];
  // As the rate_limiter role, which may only count, refund and prune (never the pool's login role).
  const [row] = await withService(
    "rate_limiter",
    ({ sql }) =>
      sql<
        { wait: number }[]
      >`select private.rate_limit_hit(${bucketFor(name, subject)}, ${limit}, ${windowSeconds}) as wait`,
  );
  if (Math.random() < 0.01)
    void withService("rate_limiter", ({ sql }) => sql`select private.rate_limit_prune()`).catch(() => {});
  return row?.wait ?? 0;
}

/** Give back a slot taken in the current window (a sign-in that turned out to be genuine). */
export async function refundRateLimitSlot(name: RateLimitName, subject: string): Promise<void> {
  await withService("rate_limiter", ({ sql }) => sql`select private.rate_limit_refund(${bucketFor(name, subject)})`);
}

/** Count a hit; throws AppError("rate_limited") with Retry-After seconds when over the limit. */
export async function enforceRateLimit(name: RateLimitName, subject: string): Promise<void> {
  const wait = await takeRateLimitSlot(name, subject);
  if (wait > 0) {
    throw new AppError("rate_limited", `Too many attempts. Try again in ${wait} seconds.`, undefined, wait);
  }
}

/**
 * The client's address as the platform's own proxies report it, or null when it cannot be known.
 * Each trusted proxy appends the address it saw to X-Forwarded-For, so the client's address is
 * the `trustedHops`-th entry from the right; everything left of it was written by the client and
 * is ignored. 0 hops (no proxy in front) means no header can be trusted.
 */
export function clientAddressFrom(headers: Headers, trustedHops: number): string | null {
  if (trustedHops < 1) return null;
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").map((h) => h.trim());
  const address = hops.length >= trustedHops ? hops[hops.length - trustedHops] : undefined;
  return address && address.length <= 64 ? address : null;
}

/** The caller's address (see clientAddressFrom), with TRUSTED_PROXY_HOPS from the environment. */
export function clientAddress(headers: Headers): string | null {
  return clientAddressFrom(headers, serverEnv().TRUSTED_PROXY_HOPS);
}
