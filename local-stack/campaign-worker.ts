/**
 * `tsx --conditions=react-server local-stack/campaign-worker.ts`: the campaign send worker as its
 * own process, for `npm run dev` and the e2e server (local-stack/run-with-stack.ts starts it with
 * the stack's environment) and for the crash-restart test, which kills it. Local mode only.
 *
 * Environment (all optional):
 *   CAMPAIGN_WORKER_CLOCK=daytime         run the send rules on a clock moved forward to the next
 *                                         19:00 UTC (a minute legal in every US zone and state), so
 *                                         the e2e suite sees sends whatever the hour; every rule
 *                                         still applies to that clock
 *   CAMPAIGN_WORKER_DEALERSHIPS=id,id     only these dealerships' campaigns (tests)
 *   CAMPAIGN_WORKER_LEASE_SECONDS=120     claim lease
 *   CAMPAIGN_WORKER_THROTTLE=0            no per-number pacing (tests, benchmarks)
 *   CAMPAIGN_WORKER_EXIT_WHEN_IDLE=1      exit when nothing is due
 */
import { startLocalCampaignWorker } from "../lib/campaigns/worker/local-worker";

const HOUR_MS = 3_600_000;

/** now() moved forward to the next 19:00 UTC: 13:00-15:00 Eastern, 09:00 in Hawaii. */
function daytimeClock(): () => Date {
  const target = new Date();
  target.setUTCHours(19, 0, 0, 0);
  if (target.getTime() < Date.now() - HOUR_MS) target.setUTCDate(target.getUTCDate() + 1);
  const offset = Math.max(0, target.getTime() - Date.now());
  return () => new Date(Date.now() + offset);
}

function main() {
  if (process.env.NODE_ENV === "production" || process.env.LOCAL_STACK !== "1")
    throw new Error("The local campaign worker runs against the local stack only.");
  const env = process.env;
  const worker = startLocalCampaignWorker({
    now: env.CAMPAIGN_WORKER_CLOCK === "daytime" ? daytimeClock() : undefined,
    dealershipIds: env.CAMPAIGN_WORKER_DEALERSHIPS ? env.CAMPAIGN_WORKER_DEALERSHIPS.split(",") : undefined,
    leaseSeconds: env.CAMPAIGN_WORKER_LEASE_SECONDS ? Number(env.CAMPAIGN_WORKER_LEASE_SECONDS) : undefined,
    throttle: env.CAMPAIGN_WORKER_THROTTLE !== "0",
    exitWhenIdle: env.CAMPAIGN_WORKER_EXIT_WHEN_IDLE === "1",
    onExit: () => process.exit(0),
  });
  const stop = () => void worker.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main();
