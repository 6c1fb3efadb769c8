import "server-only";
/**
 * The scheduler's calls (Vercel Cron, or Supabase pg_cron + pg_net) to the cron routes carry
 * `Authorization: Bearer <CRON_SECRET>`. One check for every cron route: 503 while no secret is
 * configured, 401 for a missing or wrong one; answers are JSON with counts only.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { serverEnv } from "@/lib/env/server-env";

/** Compare digests, so neither the content nor the length of the secret leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** A JSON answer the scheduler logs; never cached. */
export const cronJson = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });

/** The refusal for a call without the right secret, or null when the call may run. */
export function refuseUnlessCron(req: Request): Response | null {
  const secret = serverEnv().CRON_SECRET;
  if (!secret) return cronJson(503, { error: { code: "not_configured", message: "CRON_SECRET is not set." } });
  const header = req.headers.get("authorization") ?? "";
  const given = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : "";
  if (!sameSecret(given, secret))
    return cronJson(401, { error: { code: "unauthenticated", message: "Bad cron secret." } });
  return null;
}
