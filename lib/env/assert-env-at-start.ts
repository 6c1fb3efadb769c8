import { EnvError, parseServerEnv } from "./server-env";

/** Validate process.env at server start; in production an invalid environment exits the process. */
export function assertEnvAtStart(): void {
  try {
    parseServerEnv(process.env);
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    console.error(err.message);
    if (process.env.NODE_ENV === "production") process.exit(1);
  }
}
