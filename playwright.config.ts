import path from "node:path";
import { defineConfig } from "@playwright/test";
import { stackConfig } from "./local-stack/config";

const e2e = stackConfig("e2e");
/** Everything the server prints during the run; the global teardown scans it for personal data. */
export const SERVER_LOG_FILE = path.join(path.dirname(e2e.stateDir), `${path.basename(e2e.stateDir)}-server.log`);
const baseURL = `http://localhost:${e2e.appPort}`;

/**
 * E2E runs the production build (`next build` first, see package.json) against the e2e-profile
 * local stack, in Debian's Chromium (Playwright cannot download its own browser here).
 */
export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  workers: 2,
  // A flaky test is fixed, not retried (issue 9).
  retries: 0,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  // Logs carry no personal data: after every spec ran, the server's captured output is scanned.
  globalTeardown: "./e2e/log-scan.teardown.ts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    command: "npx tsx local-stack/run-with-stack.ts e2e -- npx next start",
    env: { SERVER_LOG_FILE },
    url: `${baseURL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
  },
});
