import { logger } from "@/lib/observability/logger";
import { EnvError, parseServerEnv } from "./server-env";

/** Validate process.env at server start; in production an invalid environment exits the process. */
export function assertEnvAtStart(): void {
  try {
    parseServerEnv(process.env);
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    // The message names the variables and what is wrong with them, never their values.
    logger().fatal({ event: "env_invalid" }, err.message);
    if (process.env.NODE_ENV === "production") process.exit(1);
  }
}
