/**
 * Runs once when the server starts: validate the environment so a production deploy with a
 * missing or malformed variable stops at once with a message naming it;
 * start error monitoring when SENTRY_DSN is set (lib/observability/error-monitoring.ts). Sentry is
 * imported only then, and only in the Node.js runtime, so without a DSN it is never loaded.
 */
import type { Instrumentation } from "next";

export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { assertEnvAtStart } = await import("./lib/env/assert-env-at-start");
    assertEnvAtStart();
    if (process.env.SENTRY_DSN) {
      const { serverEnv } = await import("./lib/env/server-env");
      const { initErrorMonitoring } = await import("./lib/observability/error-monitoring");
      initErrorMonitoring(serverEnv());
    }
  }
}

/** An uncaught error in a page, route or action: reported to Sentry (scrubbed) when monitoring is on. */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs" || !process.env.SENTRY_DSN) return;
  const { reportRequestError } = await import("./lib/observability/error-monitoring");
  reportRequestError(error, request, context);
};
