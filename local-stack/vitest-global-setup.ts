/** Vitest global setup: a fresh `test`-profile stack for the whole run, stopped afterwards. */
import { stackConfig } from "./config";
import { startLocalStack } from "./stack";

export default async function setup() {
  const stack = await startLocalStack(stackConfig("test"), () => {});
  return async () => stack.stop();
}
