/**
 * `tsx --conditions=react-server lib/leads/import/bench-import.ts [rows]` (npm run bench:import)
 *
 * Not a test: starts a fresh `bench` stack (seeded demo data), generates a CRM-style export of
 * 100,000 rows, imports it through importLeadsFromCsv as the seeded Northside owner (the same
 * code path the UI uses), prints rows/s and peak RSS, then COPYs as many pre-encrypted-looking
 * rows into public.leads as the database superuser for a baseline ratio, and stops the stack.
 * The react-server condition makes `server-only` (imported by withUser) a no-op, as in Next.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import postgres from "postgres";
import { claimsFor } from "@/local-stack/test-fixtures";
import { stackConfig } from "@/local-stack/config";
import { demoEmail } from "@/local-stack/seed/demo";
import { startLocalStack } from "@/local-stack/stack";
import { CRM_EXPORT_HEADERS, generateCrmExportCsv } from "./crm-export-fixture";
import { importLeadsFromCsv, type ImportProgress } from "./import-leads";
import { suggestMapping } from "./suggest-mapping";

const ROWS = Number(process.argv[2] ?? 100_000);
// Worker threads for the import (default: as the UI path chooses).
const WORKERS = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

/** Busy CPU seconds of the whole machine so far (Linux /proc/stat; 0 elsewhere). */
function systemCpuSeconds(): number {
  try {
    const [, ...fields] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = fields.map(Number) as number[];
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100;
  } catch {
    return 0;
  }
}

/** A base64url string of about `chars` characters, shaped like a field envelope. */
function fakeEnvelope(chars: number): string {
  return `v1.local1.${randomBytes(12).toString("base64url")}.${randomBytes(Math.ceil((chars * 3) / 4)).toString("base64url")}`;
}

async function copyBaseline(url: string, dealershipId: string, rows: number): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const lines: string[] = [];
    for (let i = 0; i < rows; i++) {
      const bidx = randomBytes(32).toString("base64url").slice(0, 43);
      // id, dealership, first, last, phone, email, year, make, model, trim, vin, notes, phone/email/name bidx, source, last activity
      lines.push(
        [
          crypto.randomUUID(), dealershipId, fakeEnvelope(8), fakeEnvelope(8), fakeEnvelope(12), i % 3 ? fakeEnvelope(28) : "\\N",
          fakeEnvelope(4), fakeEnvelope(6), fakeEnvelope(8), i % 5 ? fakeEnvelope(4) : "\\N", i % 2 ? "\\N" : fakeEnvelope(17),
          i % 7 < 3 ? "\\N" : fakeEnvelope(40), bidx, i % 3 ? randomBytes(32).toString("base64url").slice(0, 43) : "\\N",
          randomBytes(32).toString("base64url").slice(0, 43), "Website", "2023-03-14T00:00:00Z",
        ].join("\t"),
      );
    }
    const payload = `${lines.join("\n")}\n`;
    const t0 = performance.now();
    const writable = await sql`
      copy public.leads (id, dealership_id, first_name_enc, last_name_enc, phone_enc, email_enc, vehicle_year_enc, vehicle_make_enc,
        vehicle_model_enc, vehicle_trim_enc, vehicle_vin_enc, notes_enc, phone_bidx, email_bidx, full_name_bidx, source, last_activity_at)
      from stdin`.writable();
    await new Promise<void>((resolve, reject) => {
      writable.on("error", reject);
      writable.on("finish", resolve);
      writable.end(payload);
    });
    return performance.now() - t0;
  } finally {
    await sql.end();
  }
}

async function main() {
  const stack = await startLocalStack(stackConfig("bench"), (m) => console.log(`[stack] ${m}`));
  Object.assign(process.env, stack.env);
  // Imported after the env is set: the pool reads DATABASE_URL on first use.
  const { withUser } = await import("@/lib/db/with-user");
  const admin = postgres(stack.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    const ownerEmail = demoEmail("northside", "owner");
    const [owner] = await admin`
      select u.id as user_id, m.dealership_id from auth.users u join public.memberships m on m.user_id = u.id
      where u.email = ${ownerEmail} and m.role = 'owner'`;
    const [other] = await admin`select id from public.dealerships where id <> ${owner!.dealership_id} order by name limit 1`;
    const claims = claimsFor(owner!.user_id, ownerEmail);

    const bytes = generateCrmExportCsv(ROWS);
    console.log(`generated ${ROWS.toLocaleString("en-US")} rows, ${(bytes.length / 1024 / 1024).toFixed(1)} MB; RSS before import ${mb(process.resourceUsage().maxRSS)}`);

    let last: ImportProgress | undefined;
    const cpu0 = process.cpuUsage();
    const sys0 = systemCpuSeconds();
    const t0 = performance.now();
    const summary = await importLeadsFromCsv({
      run: (fn) => withUser(claims, fn),
      dealershipId: owner!.dealership_id,
      bytes,
      fileName: "bench-crm-export.csv",
      mapping: suggestMapping(CRM_EXPORT_HEADERS),
      onProgress: (p) => void (last = p),
      options: { workers: WORKERS, batchSize: process.argv[4] ? Number(process.argv[4]) : undefined },
    });
    const importMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const sysBusy = systemCpuSeconds() - sys0;
    const peakKb = process.resourceUsage().maxRSS;
    console.log(`import: ${JSON.stringify(summary.counts)} (${summary.warningCount} warnings, last progress ${last?.phase})`);
    console.log(`import: CPU seconds used: this process ${((cpu.user + cpu.system) / 1e6).toFixed(1)} (all threads), whole machine ${sysBusy.toFixed(1)} (Postgres included) of ${((importMs / 1000) * availableParallelism()).toFixed(1)} available`);
    console.log(`import: ${(importMs / 1000).toFixed(2)} s end to end = ${Math.round(ROWS / (importMs / 1000)).toLocaleString("en-US")} rows/s; peak RSS ${mb(peakKb)}`);

    const copyMs = await copyBaseline(stack.env.DATABASE_URL!, other!.id, ROWS);
    console.log(`baseline COPY of ${ROWS.toLocaleString("en-US")} pre-encrypted-looking rows: ${(copyMs / 1000).toFixed(2)} s = ${Math.round(ROWS / (copyMs / 1000)).toLocaleString("en-US")} rows/s`);
    console.log(`ratio: the import takes ${(importMs / copyMs).toFixed(1)}× the time of a bare COPY`);
  } finally {
    await admin.end();
    const { pool } = await import("@/lib/db/pool");
    await pool().end();
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
