import "server-only";
/**
 * The purge job: hard-deletes every closed dealership whose 30 days have passed. It runs as the
 * NOLOGIN `purger` role, which may only list the dealerships due (private.dealerships_due_for_purge)
 * and purge one (private.purge_dealership); each dealership is its own transaction, so one failure
 * leaves the others to go and itself untouched. What survives: the opt-out tombstones (blind
 * indexes) and a minimal record (id, dates, row counts) in the private schema. `now` is the job's
 * clock, injectable so tests can purge "30 days later".
 */
import { withService, type ServiceScope } from "@/lib/db/scope";
import { logger } from "@/lib/observability/logger";

/** Rows deleted per table ("public.leads": 12, ...) plus "opt_out_tombstones" kept. */
export type PurgeCounts = Record<string, number>;

export interface PurgeRun {
  purged: { dealershipId: string; counts: PurgeCounts }[];
  /** Dealerships whose purge failed (left as they were); the job reports them and exits non-zero. */
  failed: { dealershipId: string; error: string }[];
  /** Due dealerships not reached before the deadline (the next run takes them). */
  deferred: number;
}

/** Purge one dealership if it is closed and due at `now`; null when it is not (reopened, purged already). */
export async function purgeDealership(
  { sql, dealershipId }: ServiceScope<"purger">,
  now: Date,
): Promise<PurgeCounts | null> {
  const [row] = await sql<{ counts: PurgeCounts | null }[]>`
    select private.purge_dealership(${dealershipId}, ${now}) as counts`;
  return row?.counts ?? null;
}

/**
 * Purge every dealership due at `now`, one transaction each, starting no new one after
 * `deadlineMs` (for the cron route's time limit).
 */
export async function purgeDueDealerships({
  now = new Date(),
  deadlineMs = Number.POSITIVE_INFINITY,
}: { now?: Date; deadlineMs?: number } = {}): Promise<PurgeRun> {
  const started = Date.now();
  const due = await withService("purger", ({ sql }) =>
    sql<{ id: string }[]>`select id from private.dealerships_due_for_purge(${now}) as id`.then((rows) =>
      rows.map((r) => r.id),
    ),
  );
  const run: PurgeRun = { purged: [], failed: [], deferred: 0 };
  for (const [i, dealershipId] of due.entries()) {
    if (Date.now() - started > deadlineMs) {
      run.deferred = due.length - i;
      break;
    }
    try {
      const counts = await withService("purger", dealershipId, (scope) => purgeDealership(scope, now));
      if (counts) {
        run.purged.push({ dealershipId, counts });
        logger().info({ event: "dealership_purged", dealershipId, counts }, "dealership purged");
      }
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const error = typeof code === "string" ? `pg=${code}` : err instanceof Error ? err.message : String(err);
      run.failed.push({ dealershipId, error });
      logger().error({ event: "dealership_purge_failed", dealershipId, error }, "dealership purge failed");
    }
  }
  return run;
}
