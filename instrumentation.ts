/**
 * Runs once when the server starts: validate the environment so a production deploy with a
 * missing or malformed variable stops at once with a message naming it.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { parseServerEnv, EnvError } = await import("./lib/env/server-env");
  try {
    parseServerEnv(process.env);
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    console.error(err.message);
    if (process.env.NODE_ENV === "production") process.exit(1);
  }
}
