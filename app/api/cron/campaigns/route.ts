/**
 * The campaign send worker's production trigger, for the host's scheduler (Vercel Cron or
 * Supabase pg_cron + pg_net, every minute). Public in middleware.ts: it authenticates every call
 * with `Authorization: Bearer CRON_SECRET` (lib/campaigns/worker/cron.ts).
 */
import { handleCampaignCron } from "@/lib/campaigns/worker/cron";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
/** Seconds the platform lets one call run; each call drains for 45 s (CRON_DRAIN_MS). */
export const maxDuration = 60;

/** Vercel Cron calls GET. */
export async function GET(req: Request): Promise<Response> {
  return handleCampaignCron(req);
}

/** pg_net's http_post calls POST. */
export async function POST(req: Request): Promise<Response> {
  return handleCampaignCron(req);
}
