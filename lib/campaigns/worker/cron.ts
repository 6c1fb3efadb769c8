import "server-only";
/**
 * The production trigger of the send worker: GET or POST /api/cron/campaigns with
 * `Authorization: Bearer <CRON_SECRET>`, called every minute by the host's scheduler (Vercel Cron,
 * or Supabase pg_cron + pg_net; see README "Campaign send worker"). Each call drains for a bounded
 * time, well under the route's maxDuration, and answers with counts only. Overlapping calls are
 * safe: claims skip each other's rows (FOR UPDATE SKIP LOCKED) and the per-number pacing is
 * reserved in the database.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { serverEnv } from "@/lib/env/server-env";
import { withRequestId } from "@/lib/observability/logger";
import { drainCampaignQueue, type DrainOptions, type DrainStats } from "./drain";

/** How long one cron call drains (the route's maxDuration is 60 s). */
export const CRON_DRAIN_MS = 45_000;

/** Compare digests, so neither the content nor the length of the secret leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });

/** Authenticate the scheduler's call and drain; 401 for a wrong secret, 503 when none is configured. */
export async function handleCampaignCron(
  req: Request,
  drain: (options: DrainOptions) => Promise<DrainStats> = drainCampaignQueue,
): Promise<Response> {
  // The worker's log lines of this call carry its request id (the middleware's x-request-id).
  return withRequestId(req.headers.get("x-request-id"), () => runCron(req, drain));
}

async function runCron(req: Request, drain: (options: DrainOptions) => Promise<DrainStats>): Promise<Response> {
  const secret = serverEnv().CRON_SECRET;
  if (!secret) return json(503, { error: { code: "not_configured", message: "CRON_SECRET is not set." } });
  const header = req.headers.get("authorization") ?? "";
  const given = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : "";
  if (!sameSecret(given, secret)) return json(401, { error: { code: "unauthenticated", message: "Bad cron secret." } });
  const stats = await drain({ deadlineMs: CRON_DRAIN_MS, signal: req.signal });
  return json(200, stats);
}
