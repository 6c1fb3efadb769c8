/**
 * The export, measured alone (spawned by export-bench.ts so seeding does not count toward its
 * peak RSS): streams the dealership's CSV ZIP to /dev/null and prints seconds, CPU-seconds of the
 * export (every thread of the process: deflate runs on the libuv pool), bytes and peak RSS.
 */
import { createWriteStream, readFileSync } from "node:fs";
import { pipeline } from "node:stream/promises";

/**
 * CPU-seconds of the main thread alone (Linux /proc; null elsewhere): decryption, CSV and the
 * stream plumbing run there, so on an idle machine it bounds the export's wall time.
 */
function mainThreadCpuSeconds(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, USER_HZ
  } catch {
    return null;
  }
}

async function main() {
  const [dealershipId] = process.argv.slice(2);
  const { streamDealershipExport } = await import("@/lib/export/dealership-export");
  let bytes = 0;
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuSeconds();
  const t0 = performance.now();
  const zip = streamDealershipExport(dealershipId!, "csv");
  zip.on("data", (c: Buffer) => (bytes += c.length));
  await pipeline(zip, createWriteStream("/dev/null"));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const main1 = mainThreadCpuSeconds();
  const mainThreadSeconds = main0 === null || main1 === null ? null : main1 - main0;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ seconds, cpuSeconds, mainThreadSeconds, bytes, peakRssMb }));
  const { pool } = await import("@/lib/db/pool");
  await pool().end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
