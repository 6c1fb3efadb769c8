import "server-only";
/**
 * Readiness: can this instance serve requests right now? It must reach the database, so the probe
 * runs a trivial query as a narrow NOLOGIN service role (rate_limiter: it touches no tenant data),
 * through the same pool and role switch every request uses.
 */
import { withService } from "@/lib/db/scope";
import { logger } from "./logger";

const PROBE_TIMEOUT_MS = 2_000;

/** The default probe: one `select 1` as the rate_limiter role. */
async function databaseProbe(): Promise<void> {
  await withService("rate_limiter", async ({ sql }) => {
    await sql`select 1`;
  });
}

/** Whether the database answered within the timeout; failures are logged by error code only. */
export async function checkReadiness(probe: () => Promise<void> = databaseProbe): Promise<{ ready: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error("timeout"), { code: "timeout" })), PROBE_TIMEOUT_MS);
      }),
    ]);
    return { ready: true };
  } catch (err) {
    const code = (err as { code?: unknown })?.code;
    logger().warn({ event: "readiness_failed", code: typeof code === "string" ? code : "unknown" }, "not ready");
    return { ready: false };
  } finally {
    clearTimeout(timer);
  }
}
