import "server-only";
/**
 * The send worker as a long-running loop, for local development and the e2e server (started by
 * local-stack/run-with-stack.ts in its own process). Production has no long-running process: the
 * cron route drains for a bounded time instead (app/api/cron/campaigns/route.ts). Both call
 * drainCampaignQueue, so the rules are the same.
 */
import { logger } from "@/lib/observability/logger";
import { drainCampaignQueue, type DrainOptions } from "./drain";

/** A running local worker. */
export interface LocalCampaignWorker {
  /** Stop after the current batch (claims in flight are finished or left to their lease). */
  stop(): Promise<void>;
}

/** Options of the local loop; the rest are drainCampaignQueue's. */
export type LocalWorkerOptions = Omit<DrainOptions, "deadlineMs" | "signal"> & {
  /** Wait this long when nothing is due (default 1 s). */
  idleMs?: number;
  /** Each drain runs at most this long before the loop starts the next (default 30 s). */
  drainMs?: number;
  /** Resolve the worker's promise when nothing is due (tests, scripts); default keep polling. */
  exitWhenIdle?: boolean;
  /** Called when the loop ends by itself (exitWhenIdle). */
  onExit?: () => void;
};

/** Start draining the queue in a loop until stopped. Errors are logged (by code) and retried. */
export function startLocalCampaignWorker(options: LocalWorkerOptions = {}): LocalCampaignWorker {
  const controller = new AbortController();
  const log = options.log ?? ((line: string) => logger().info({ component: "campaign-worker" }, line));
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const onAbort = () => (clearTimeout(t), resolve());
      const t = setTimeout(() => (controller.signal.removeEventListener("abort", onAbort), resolve()), ms);
      controller.signal.addEventListener("abort", onAbort, { once: true });
    });
  const loop = (async () => {
    while (!controller.signal.aborted) {
      try {
        const stats = await drainCampaignQueue({
          ...options,
          deadlineMs: options.drainMs ?? 30_000,
          signal: controller.signal,
          log,
        });
        if (stats.sent + stats.failed + stats.postponed + stats.reconciled > 0) {
          log(
            `sent ${stats.sent}, failed ${stats.failed}, retried ${stats.retried}, postponed ${stats.postponed}, ` +
              `skipped ${stats.skipped}, reconciled ${stats.reconciled}, auto-paused ${stats.autoPaused}`,
          );
        }
        if (stats.stoppedBy === "idle") {
          if (options.exitWhenIdle) break;
          await pause(options.idleMs ?? 1000);
        }
      } catch (err) {
        // Database restarting, Twilio unreachable...: keep going. Only the code is logged.
        const code = (err as { code?: unknown })?.code;
        log(`drain failed (${typeof code === "string" ? code : ((err as Error)?.name ?? "error")}); retrying in 5 s`);
        await pause(5000);
      }
    }
    options.onExit?.();
  })();
  return {
    async stop() {
      controller.abort();
      await loop;
    },
  };
}
