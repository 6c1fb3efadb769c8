/**
 * `tsx --conditions=react-server local-stack/bench/import-bench.ts [rows] [workers] [batch]`
 * (npm run bench:import). Not a test.
 *
 * Starts a fresh `bench` stack (with its demo data), writes a CRM-style export of 100,000 rows to
 * a temporary file, and imports it through importLeadsFromCsv as the seeded Northside owner (the
 * UI's code path) in a separate process (import-bench-child.ts), so the peak RSS printed is the
 * importing process's alone. Then, as the baseline, COPYs the rows it wrote (every column, see
 * copyBaseline) into another dealership as the database superuser, prints the ratio (and the one to
 * the earlier, narrower baseline) and stops the stack.
 * The react-server condition makes `server-only` (imported by withUser) a no-op, as in Next.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import { stackConfig } from "@/local-stack/config";
import { demoEmail } from "@/local-stack/seed/demo";
import { startSession } from "@/local-stack/test-fixtures";
import { startLocalStack } from "@/local-stack/stack";
import { writeCrmExportCsv } from "@/lib/leads/import/crm-export-fixture";

const [ROWS = 100_000, WORKERS, BATCH] = process.argv.slice(2).map(Number);
const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

interface ChildResult {
  ms: number;
  counts: Record<string, number>;
  warnings: number;
  threads: number;
  maxRssKb: number;
  /** RSS with the modules loaded, before the import started. */
  rssBefore: number;
  peak: { rss: number; heapUsed: number; heapTotal: number; external: number };
  processCpuS: number;
  machineCpuS: number;
}

/**
 * The child loads its TypeScript through tsx's in-thread require hook (as the import's worker
 * thread does), not through tsx's ESM loader, which runs its hooks on a thread of its own (about
 * 30 MB of RSS that a built server does not have and that would be counted as the import's).
 */
function runImportProcess(csvPath: string, env: Record<string, string>): Promise<ChildResult> {
  const require = createRequire(import.meta.url);
  const entry = path.join(import.meta.dirname, "import-bench-child.ts");
  const load = `require(${JSON.stringify(require.resolve("tsx/cjs"))}); require(${JSON.stringify(entry)});`;
  const child = spawn(process.execPath, ["--conditions=react-server", "-e", load, "--", csvPath], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`the import process exited with code ${code}`));
      resolve(JSON.parse(out.trim().split("\n").pop()!) as ChildResult);
    });
  });
}

/**
 * The baseline: the rows the import just wrote (same envelopes, blind indexes and columns, read
 * back with COPY TO), COPYed into another dealership as the superuser: no parsing, validation,
 * encryption, RLS or merging, just Postgres storing the same rows (and its triggers, indexes and
 * foreign-key checks). Every column the import writes is copied: its lead sources and its
 * assignees are given to the other dealership first (untimed: the same labels under new ids, the
 * same users as members), and each row's source id is mapped to the other dealership's, so the
 * COPY checks the same foreign keys the import's INSERT does. With `allColumns` false, the source,
 * assignee and import columns are left out (the baseline of this benchmark's earlier figures:
 * about two fewer foreign-key checks a row than the import).
 * Returns the COPY FROM's milliseconds and rows (the import's plus the few demo leads).
 */
async function copyBaseline(
  url: string,
  fromDealershipId: string,
  toDealershipId: string,
  pgDataDir: string,
  allColumns: boolean,
): Promise<{ ms: number; rows: number; pgCpuS: number }> {
  const COLUMNS = `pii_enc, phone_bidx, email_bidx, full_name_bidx, status, consent_status, consent_source, consent_updated_at,
    last_activity_at`;
  const chunks: Buffer[] = [];
  // Two clients: postgres.js never hands out a COPY FROM on a connection that just did a COPY TO.
  const reader = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const from = reader.unsafe(`'${fromDealershipId}'::uuid`);
    const to = reader.unsafe(`'${toDealershipId}'::uuid`);
    if (allColumns) {
      await reader`
        insert into public.lead_sources (dealership_id, label_enc, label_bidx, system_key)
        select ${to}, label_enc, label_bidx, system_key from public.lead_sources where dealership_id = ${from}
        on conflict do nothing`;
      await reader`
        insert into public.memberships (dealership_id, user_id, role)
        select distinct ${to}, assigned_to, 'rep'::public.membership_role from public.leads
        where dealership_id = ${from} and assigned_to is not null
        on conflict do nothing`;
    }
    const readable = allColumns
      ? await reader`
          copy (select gen_random_uuid(), ${to}, ${reader.unsafe(COLUMNS.replace(/(\w+)/g, "l.$1"))}, o.id, l.assigned_to,
                  l.last_import_id
                from public.leads l
                left join public.lead_sources s on s.id = l.source_id
                left join public.lead_sources o on o.dealership_id = ${to}
                  and (o.label_bidx = s.label_bidx or o.system_key = s.system_key)
                where l.dealership_id = ${from}) to stdout`.readable()
      : await reader`
          copy (select gen_random_uuid(), ${to}, ${reader.unsafe(COLUMNS)}
                from public.leads where dealership_id = ${from}) to stdout`.readable();
    for await (const chunk of readable) chunks.push(chunk as Buffer);
  } finally {
    await reader.end();
  }
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const target = `id, dealership_id, ${COLUMNS}${allColumns ? ", source_id, assigned_to, last_import_id" : ""}`;
    const cpu0 = postgresCpuSeconds(pgDataDir);
    const t0 = performance.now();
    const writable = await sql`copy public.leads (${sql.unsafe(target)}) from stdin`.writable();
    await pipeline(Readable.from(chunks), writable);
    const ms = performance.now() - t0;
    const pgCpuS = postgresCpuSeconds(pgDataDir) - cpu0;
    let rows = 0;
    for (const chunk of chunks) for (const byte of chunk) if (byte === 10) rows++;
    return { ms, rows, pgCpuS };
  } finally {
    await sql.end();
  }
}

/**
 * CPU seconds used so far by the local Postgres (the postmaster, its live processes and those it
 * has reaped: the import's and the baseline's backends among them), from Linux's /proc; NaN elsewhere.
 */
function postgresCpuSeconds(pgDataDir: string): number {
  try {
    const pid = readFileSync(path.join(pgDataDir, "postmaster.pid"), "utf8").split("\n")[0]!.trim();
    const fields = (p: string) => readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]!.split(" ").map(Number);
    const ticks = 100; // USER_HZ
    const own = fields(pid);
    // utime, stime, and (reaped children) cutime, cstime: fields 14-17 of stat, 11-14 after the name.
    let total = (own[11]! + own[12]! + own[13]! + own[14]!) / ticks;
    for (const p of readdirSync("/proc")) {
      if (!/^\d+$/.test(p)) continue;
      try {
        const f = fields(p);
        if (String(f[1]) === pid) total += (f[11]! + f[12]!) / ticks;
      } catch {
        // gone meanwhile
      }
    }
    return total;
  } catch {
    return Number.NaN;
  }
}

const loads = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");

async function main() {
  const stack = await startLocalStack(stackConfig("bench"), (m) => console.log(`[stack] ${m}`));
  const dir = mkdtempSync(path.join(tmpdir(), "bench-import-"));
  const admin = postgres(stack.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    const email = demoEmail("northside", "owner");
    const [owner] = await admin`
      select u.id as user_id, m.dealership_id from auth.users u join public.memberships m on m.user_id = u.id
      where u.email = ${email} and m.role = 'owner'`;
    // Two other dealerships: the baseline's COPY goes into the first, the earlier figures' into the second.
    const [other, another] =
      await admin`select id from public.dealerships where id <> ${owner!.dealership_id} order by name limit 2`;

    const csvPath = path.join(dir, "crm-export.csv");
    const size = writeCrmExportCsv(csvPath, ROWS);
    console.log(
      `generated ${ROWS.toLocaleString("en-US")} rows (${MB(size)}); importing as ${email} on ${availableParallelism()} cores…`,
    );

    const pgDataDir = stackConfig("bench").pgDataDir;
    console.log(`machine load average (1 / 5 / 15 min) before the import: ${loads()}`);
    const pgCpu0 = postgresCpuSeconds(pgDataDir);
    const r = await runImportProcess(csvPath, {
      ...stack.env,
      BENCH_USER_ID: owner!.user_id,
      BENCH_USER_EMAIL: email,
      // withUser refuses a token whose Auth session is not alive, as for a real sign-in.
      BENCH_SESSION_ID: await startSession(admin, owner!.user_id),
      BENCH_DEALERSHIP_ID: owner!.dealership_id,
      ...(WORKERS === undefined ? {} : { BENCH_WORKERS: String(WORKERS) }),
      ...(BATCH === undefined ? {} : { BENCH_BATCH: String(BATCH) }),
    });
    const pgCpuImport = postgresCpuSeconds(pgDataDir) - pgCpu0;
    const seconds = r.ms / 1000;
    console.log(
      `import: ${JSON.stringify(r.counts)}, ${r.warnings} warnings, ${r.threads} encryption worker thread(s)`,
    );
    console.log(
      `import: ${seconds.toFixed(2)} s end to end = ${Math.round(ROWS / seconds).toLocaleString("en-US")} rows/s; peak RSS ${MB(r.maxRssKb * 1024)} (${MB(r.rssBefore)} before it started)`,
    );
    console.log(
      `import: CPU used ${r.processCpuS.toFixed(1)} s by the import process (all threads), ${r.machineCpuS.toFixed(1)} s by the machine ` +
        `(Postgres included) of ${(seconds * availableParallelism()).toFixed(1)} s available; at the RSS peak the JS heap used ` +
        `${MB(r.peak.heapUsed)} of ${MB(r.peak.heapTotal)}, external ${MB(r.peak.external)}`,
    );
    console.log(
      `import: Postgres used ${pgCpuImport.toFixed(1)} CPU-s meanwhile; machine load average after it: ${loads()}`,
    );

    const copy = await copyBaseline(stack.env.DATABASE_URL!, owner!.dealership_id, other!.id, pgDataDir, true);
    const pgCpuCopy = copy.pgCpuS;
    const copyMs = copy.ms;
    console.log(
      `baseline: COPY of the ${copy.rows.toLocaleString("en-US")} rows the import wrote (every column): ${(copyMs / 1000).toFixed(2)} s = ` +
        `${Math.round(copy.rows / (copyMs / 1000)).toLocaleString("en-US")} rows/s; Postgres used ${pgCpuCopy.toFixed(1)} CPU-s; ` +
        `machine load average after it: ${loads()}`,
    );
    // The baseline really stored the same foreign keys: as many sources and assignees as the import's rows have.
    const [keys] = await admin`
      select count(source_id) filter (where dealership_id = ${owner!.dealership_id}) as import_sources,
             count(source_id) filter (where dealership_id = ${other!.id}) as copy_sources,
             count(assigned_to) filter (where dealership_id = ${owner!.dealership_id}) as import_assignees,
             count(assigned_to) filter (where dealership_id = ${other!.id}) as copy_assignees
      from public.leads where dealership_id in (${owner!.dealership_id}, ${other!.id})`;
    console.log(
      `baseline: rows with a source ${keys!.copy_sources} (import ${keys!.import_sources}), with an assignee ` +
        `${keys!.copy_assignees} (import ${keys!.import_assignees})`,
    );
    console.log(`ratio: the import takes ${(r.ms / copyMs).toFixed(2)}× the time of a bare COPY of its rows`);
    const partial = await copyBaseline(stack.env.DATABASE_URL!, owner!.dealership_id, another!.id, pgDataDir, false);
    console.log(
      `earlier baseline: the same COPY without the source, assignee and import columns (two fewer foreign-key checks a row): ` +
        `${(partial.ms / 1000).toFixed(2)} s, ${partial.pgCpuS.toFixed(1)} Postgres CPU-s; import = ${(r.ms / partial.ms).toFixed(2)}× that`,
    );
    console.log(
      `CPU: the import used ${(r.processCpuS + pgCpuImport).toFixed(1)} CPU-s (its process and Postgres), the COPY ` +
        `${pgCpuCopy.toFixed(1)}: on a machine without other work the import's threads and Postgres share its ` +
        `${availableParallelism()} cores; on a busy one they compete with that work for them`,
    );
  } finally {
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
