import "server-only";
/**
 * The production trigger of the send worker: GET or POST /api/cron/campaigns with
 * `Authorization: Bearer <CRON_SECRET>`, called every minute by the host's scheduler (Vercel Cron,
 * or Supabase pg_cron + pg_net; see README "Campaign send worker"). Each call drains for a bounded
 * time, well under the route's maxDuration, and answers with counts only. Overlapping calls are
 * safe: claims skip each other's rows (FOR UPDATE SKIP LOCKED) and the per-number pacing is
 * reserved in the database.
 */
import { withRequestId } from "@/lib/observability/logger";
import { cronJson, refuseUnlessCron } from "@/lib/server/cron-auth";
import { drainCampaignQueue, type DrainOptions, type DrainStats } from "./drain";

/** How long one cron call drains (the route's maxDuration is 60 s). */
export const CRON_DRAIN_MS = 45_000;

/** Authenticate the scheduler's call and drain; 401 for a wrong secret, 503 when none is configured. */
export async function handleCampaignCron(
  req: Request,
  drain: (options: DrainOptions) => Promise<DrainStats> = drainCampaignQueue,
): Promise<Response> {
  // The worker's log lines of this call carry its request id (the middleware's x-request-id).
  return withRequestId(req.headers.get("x-request-id"), () => runCron(req, drain));
}

async function runCron(req: Request, drain: (options: DrainOptions) => Promise<DrainStats>): Promise<Response> {
  const refused = refuseUnlessCron(req);
  if (refused) return refused;
  const stats = await drain({ deadlineMs: CRON_DRAIN_MS, signal: req.signal });
  return cronJson(200, stats);
}
