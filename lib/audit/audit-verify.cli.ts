/**
 * `npm run audit:verify [dealership id]`: recompute every audit chain and report any edited,
 * removed or reordered row; exits 1 when the log was tampered with. Connects with DATABASE_URL
 * (the platform's own connection: it reads every dealership's log and the chain heads).
 */
import postgres from "postgres";
import { verifyAuditChains } from "./verify-chain";

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set.");
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const report = await verifyAuditChains(sql, process.argv[2]);
    for (const p of report.problems) console.log(`TAMPERED dealership ${p.dealershipId}: ${p.message}`);
    console.log(
      `${report.rows} audit rows in ${report.dealerships} dealership chains checked: ` +
        (report.problems.length ? `${report.problems.length} problem(s).` : "intact."),
    );
    if (report.problems.length) process.exitCode = 1;
  } finally {
    await sql.end();
  }
}

main().catch((err) => {
  console.error(`audit:verify failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
});
