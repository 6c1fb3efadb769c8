/**
 * The export, measured alone (spawned by export-bench.ts so seeding does not count toward its
 * peak RSS): streams the dealership's CSV ZIP to /dev/null and prints seconds, bytes and peak RSS.
 */
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";

async function main() {
  const [dealershipId] = process.argv.slice(2);
  const { streamDealershipExport } = await import("@/lib/export/dealership-export");
  let bytes = 0;
  const t0 = performance.now();
  const zip = streamDealershipExport(dealershipId!, "csv");
  zip.on("data", (c: Buffer) => (bytes += c.length));
  await pipeline(zip, createWriteStream("/dev/null"));
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ seconds, bytes, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
  const { pool } = await import("@/lib/db/pool");
  await pool().end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
