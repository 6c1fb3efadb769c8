/**
 * The measured half of the import benchmark (import-bench.ts starts it in its own process, so
 * its peak RSS is the import's and not the local stack's): imports the CSV file named on the
 * command line through importLeadsFromCsv as the user in BENCH_* env, exactly as the UI does
 * (withUser → RLS), and prints one JSON line of measurements.
 */
import { readFileSync } from "node:fs";
import type { VerifiedClaims } from "@/lib/auth/claims";
import { pool } from "@/lib/db/pool";
import { withUser } from "@/lib/db/scope";
import { CRM_EXPORT_HEADERS } from "@/lib/leads/import/crm-export-fixture";
import { importLeadsFromCsv } from "@/lib/leads/import/import-leads";
import { suggestMapping } from "@/lib/leads/import/suggest-mapping";

/**
 * The claims of the benchmark user's session (started by import-bench.ts), as the Auth server
 * issues them. Built here rather than with the test fixtures, whose modules (supabase-js, the
 * Auth emulator's) a server never loads and would only inflate the RSS measured.
 */
function benchClaims(env: NodeJS.ProcessEnv): VerifiedClaims {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: env.BENCH_USER_ID!,
    role: "authenticated",
    aud: "authenticated",
    email: env.BENCH_USER_EMAIL!,
    aal: "aal1",
    exp: now + 3600,
    iat: now,
    iss: "bench",
    session_id: env.BENCH_SESSION_ID!,
  };
}

/** Busy CPU seconds of the whole machine so far (Linux /proc/stat; 0 elsewhere). */
function machineCpuSeconds(): number {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100;
  } catch {
    return 0;
  }
}

async function main() {
  const env = process.env;
  const claims = benchClaims(env);
  const rssBefore = process.memoryUsage().rss;
  let peak = process.memoryUsage();
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > peak.rss) peak = m;
  }, 50);
  const cpu0 = process.cpuUsage();
  const machine0 = machineCpuSeconds();
  const t0 = performance.now();
  const summary = await importLeadsFromCsv({
    run: (fn) => withUser(claims, env.BENCH_DEALERSHIP_ID!, fn),
    // Streamed from the file a chunk at a time, as flat as the import can be.
    source: { path: process.argv.at(-1)! },
    fileName: "bench-crm-export.csv",
    mapping: suggestMapping(CRM_EXPORT_HEADERS),
    options: {
      workers: env.BENCH_WORKERS ? Number(env.BENCH_WORKERS) : undefined,
      batchSize: env.BENCH_BATCH ? Number(env.BENCH_BATCH) : undefined,
    },
  });
  const ms = performance.now() - t0;
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpu0);
  console.log(
    JSON.stringify({
      ms,
      counts: summary.counts,
      warnings: summary.warningCount,
      threads: summary.encryptionThreads,
      maxRssKb: process.resourceUsage().maxRSS,
      rssBefore,
      peak: { rss: peak.rss, heapUsed: peak.heapUsed, heapTotal: peak.heapTotal, external: peak.external },
      processCpuS: (cpu.user + cpu.system) / 1e6,
      machineCpuS: machineCpuSeconds() - machine0,
    }),
  );
  await pool().end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
