/**
 * Where PostgreSQL 17's client programs are. The local stack's server is 17 and pg_dump refuses a
 * server newer than itself, so the machine's psql/pg_dump (Debian bookworm: 15) will not do;
 * scripts/install-pg-client.sh installs 17 (see there for how).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

export type PgClientProgram = "pg_dump" | "pg_dumpall" | "pg_restore" | "psql";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Folders tried in order: PG_CLIENT_BIN, Debian's own client 17, the private install. */
function candidateDirs(): string[] {
  return [
    process.env.PG_CLIENT_BIN,
    "/usr/lib/postgresql/17/bin",
    path.join(process.env.PG_CLIENT_DIR ?? path.join(ROOT, ".local-stack", "pg-client-17"), "bin"),
  ].filter((d): d is string => Boolean(d));
}

let found: string | undefined;

/** The folder holding pg_dump 17 and its siblings; throws with the install command when there is none. */
export function pgClientDir(): string {
  if (found) return found;
  for (const dir of candidateDirs()) {
    const pgDump = path.join(dir, "pg_dump");
    if (!existsSync(pgDump)) continue;
    const version = execFileSync(pgDump, ["--version"], { encoding: "utf8" });
    if (/\) 17\./.test(version)) return (found = dir);
  }
  throw new Error(
    "PostgreSQL 17 client programs (pg_dump, pg_restore) were not found. " +
      "Install them with `bash scripts/install-pg-client.sh` (or set PG_CLIENT_BIN to a folder holding pg_dump 17).",
  );
}

/** The path of one client program. */
export function pgClientProgram(program: PgClientProgram): string {
  return path.join(pgClientDir(), program);
}
