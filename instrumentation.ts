/**
 * Runs once when the server starts: validate the environment so a production deploy with a
 * missing or malformed variable stops at once with a message naming it; install the JSON logger.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { assertEnvAtStart } = await import("./lib/env/assert-env-at-start");
    assertEnvAtStart();
    // Installs the structured logger as toAppError's reporter before any request.
    await import("./lib/observability/logger");
  }
}
