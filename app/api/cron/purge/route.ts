/**
 * The purge job's production trigger, for the host's scheduler (daily). Public in middleware.ts:
 * it authenticates every call with `Authorization: Bearer CRON_SECRET` (lib/dealerships/purge-cron.ts).
 */
import { handlePurgeCron } from "@/lib/dealerships/purge-cron";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
/** Seconds the platform lets one call run; new purges start only in the first 40 s. */
export const maxDuration = 60;

/** Vercel Cron calls GET. */
export async function GET(req: Request): Promise<Response> {
  return handlePurgeCron(req);
}

/** pg_net's http_post calls POST. */
export async function POST(req: Request): Promise<Response> {
  return handlePurgeCron(req);
}
