import "server-only";
/**
 * The purge job's production trigger: GET or POST /api/cron/purge with
 * `Authorization: Bearer <CRON_SECRET>`, daily from the host's scheduler (README "Closing your
 * account"). Purges for at most PURGE_CRON_MS, then answers with ids and counts only (a dealership
 * id is not personal data); what it did not reach, the next call takes.
 */
import { cronJson, refuseUnlessCron } from "@/lib/server/cron-auth";
import { purgeDueDealerships, type PurgeRun } from "./purge";

/** How long one call starts new purges (the route's maxDuration is 60 s). */
const PURGE_CRON_MS = 40_000;

/** Authenticate the scheduler's call and purge what is due; 401 for a wrong secret, 503 when none is configured. */
export async function handlePurgeCron(
  req: Request,
  purge: (options: { deadlineMs: number }) => Promise<PurgeRun> = purgeDueDealerships,
): Promise<Response> {
  const refused = refuseUnlessCron(req);
  if (refused) return refused;
  const run = await purge({ deadlineMs: PURGE_CRON_MS });
  return cronJson(run.failed.length > 0 ? 500 : 200, run);
}
