/**
 * `npm run purge`: hard-delete every closed dealership whose 30 days have passed (README "Closing
 * your account"). Runs as the NOLOGIN `purger` role with the app's environment; schedule it daily
 * (or call GET /api/cron/purge with CRON_SECRET). Prints what it deleted, counts only; exits
 * non-zero when a dealership could not be purged.
 */
import { pool } from "@/lib/db/pool";
import { purgeDueDealerships } from "./purge";

async function main(): Promise<number> {
  const run = await purgeDueDealerships();
  for (const p of run.purged) {
    const rows = Object.entries(p.counts)
      .filter(([table]) => table !== "opt_out_tombstones")
      .reduce((sum, [, n]) => sum + n, 0);
    console.log(`purged ${p.dealershipId}: ${rows} rows, ${p.counts.opt_out_tombstones ?? 0} opt-out tombstones kept`);
  }
  for (const f of run.failed) console.error(`could not purge ${f.dealershipId}: ${f.error}`);
  console.log(`purge: ${run.purged.length} purged, ${run.failed.length} failed`);
  return run.failed.length > 0 ? 1 : 0;
}

main()
  .then(async (code) => {
    await pool().end();
    process.exit(code);
  })
  .catch(async (err) => {
    console.error(`purge failed: ${err instanceof Error ? err.message : String(err)}`);
    await pool()
      .end()
      .catch(() => {});
    process.exit(1);
  });
