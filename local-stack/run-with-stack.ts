/**
 * `tsx local-stack/run-with-stack.ts <profile> [-- command ...]`
 *
 * Starts the profile's local stack (Postgres, migrations, demo data, Auth and Twilio emulators),
 * then runs the command with the stack's environment (e.g. `next dev`). With a command, the dev
 * and e2e profiles also run the campaign send worker (local-stack/campaign-worker.ts) in its own
 * process; the e2e one runs on a daytime clock so campaigns send whatever the hour (see there).
 * Ctrl-C or the command's exit stops everything cleanly. Without a command, the stack runs until Ctrl-C.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { stackConfig, LOCAL_SECRETS, type StackProfile } from "./config";
import { DEMO_DEALERSHIPS, DEMO_GROUP_ADMIN_EMAIL, DEMO_ROLES, demoEmail } from "./seed/demo";
import { startLocalStack } from "./stack";

const PROFILES: StackProfile[] = ["dev", "test", "e2e", "bench"];

async function main() {
  const [profileArg, sep, ...command] = process.argv.slice(2);
  const profile = profileArg as StackProfile;
  if (!PROFILES.includes(profile) || (sep !== undefined && sep !== "--")) {
    console.error("usage: tsx local-stack/run-with-stack.ts <dev|test|e2e|bench> [-- command ...]");
    process.exit(2);
  }
  // SERVER_LOG_FILE: everything this process and the command print is also written there (the
  // e2e run scans it for personal data; see e2e/log-scan.teardown.ts).
  const logFile = process.env.SERVER_LOG_FILE
    ? fs.createWriteStream(process.env.SERVER_LOG_FILE, { flags: "w" })
    : null;
  if (logFile) {
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        logFile.write(chunk as string);
        return write(chunk, ...rest);
      }) as typeof stream.write;
    }
  }
  const log = (m: string) => console.log(`[local-stack] ${m}`);
  const config = stackConfig(profile);
  const stack = await startLocalStack(config, log);
  log(`Postgres  postgres://postgres:postgres@127.0.0.1:${config.pgPort}/postgres`);
  log(`Auth API  http://127.0.0.1:${config.authPort}/auth/v1`);
  // The demo accounts' addresses help a developer; test runs never print them (their logs are scanned).
  if (config.seedDemo && profile === "dev") {
    const users = [
      ...DEMO_DEALERSHIPS.flatMap((d) => DEMO_ROLES.map((r) => demoEmail(d.slug, r))),
      DEMO_GROUP_ADMIN_EMAIL,
    ];
    log(`demo users (password "${LOCAL_SECRETS.demoPassword}"): ${users.join(", ")}`);
  }

  let child: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const c of [child, worker]) {
      if (c && c.exitCode === null && c.signalCode === null) {
        c.kill("SIGTERM");
        await new Promise((r) => c.once("exit", r));
      }
    }
    await stack.stop();
    log("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  if (command.length > 0) {
    child = spawn(command[0]!, command.slice(1), {
      stdio: logFile ? ["inherit", "pipe", "pipe"] : "inherit",
      env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env, ...stack.env, PORT: String(config.appPort) },
    });
    child.stdout?.on("data", (chunk: Buffer) => process.stdout.write(chunk));
    child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(chunk));
    child.on("exit", (code) => void shutdown(code ?? 0));
    if (profile === "dev" || profile === "e2e") worker = startCampaignWorker(profile, stack.env, log);
  } else {
    log("running; press Ctrl-C to stop");
  }
}

/**
 * The campaign send worker beside the app: node with this process's loader (tsx) and the
 * react-server condition (which makes `server-only` a no-op, as in Next).
 */
function startCampaignWorker(
  profile: StackProfile,
  env: Record<string, string>,
  log: (m: string) => void,
): ChildProcess {
  const worker = spawn(
    process.execPath,
    [...process.execArgv, "--conditions=react-server", path.join(import.meta.dirname, "campaign-worker.ts")],
    {
      stdio: "inherit",
      env: { ...process.env, ...env, ...(profile === "e2e" ? { CAMPAIGN_WORKER_CLOCK: "daytime" } : {}) },
    },
  );
  worker.on("exit", (code, signal) => {
    if (code !== 0 && signal !== "SIGTERM") log(`campaign worker exited (${code ?? signal})`);
  });
  log("campaign worker started");
  return worker;
}

main().catch((err) => {
  console.error(`[local-stack] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
