/**
 * `npm run backup:drill`: the restore drill (./restore-drill.ts) on the local database.
 *
 * Dumps the dev stack's database (`npm run dev` or `npm run stack` must be running), or the one
 * DATABASE_URL names (as a superuser), restores it into a fresh cluster and checks it; the PII keys
 * are PII_ENCRYPTION_KEYS / PII_BLIND_INDEX_KEY, else the local stack's. Exits 1 when a check fails.
 * Needs PostgreSQL 17's client programs: `bash scripts/install-pg-client.sh`.
 */
import path from "node:path";
import postgres from "postgres";
import { keyringFromEnv } from "../../lib/crypto/keyring";
import { localAppEnv, stackConfig } from "../config";
import { runRestoreDrill } from "./restore-drill";

async function main(): Promise<number> {
  const dev = localAppEnv(stackConfig("dev"));
  const sourceUrl = process.env.DATABASE_URL ?? dev.DATABASE_URL!;
  const keyring = keyringFromEnv(process.env.PII_ENCRYPTION_KEYS ? process.env : dev);
  const probe = postgres(sourceUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await probe`select 1`;
  } catch {
    console.error(
      `backup:drill: the database at ${new URL(sourceUrl).host} does not answer. Start the local stack ` +
        "(`npm run stack` or `npm run dev`) or set DATABASE_URL.",
    );
    return 1;
  } finally {
    await probe.end();
  }

  const workDir = path.resolve(import.meta.dirname, "../../.local-stack", `restore-drill-${process.pid}`);
  const report = await runRestoreDrill({
    sourceUrl,
    keyring,
    workDir,
    log: (m) => console.log(`[drill] ${m}`),
  });
  console.log(
    [
      `tables: ${report.tables}, rows: ${report.rows}, dump: ${(report.dumpBytes / 1024).toFixed(0)} KiB`,
      `row counts: ${report.countMismatches.length === 0 ? "all match" : `${report.countMismatches.length} differ`}`,
      ...report.countMismatches.map((m) => `  ${m.table}: source ${m.source}, restored ${m.restored}`),
      `RLS flags: ${report.rlsFlagMismatches.length === 0 ? "all match" : report.rlsFlagMismatches.join(", ")}`,
      report.rls.checked
        ? `RLS isolation: a member sees ${report.rls.ownLeadsVisible} own leads and ` +
          `${report.rls.otherDealershipRowsVisible} of ${report.rls.otherDealershipRowsTotal} other dealerships' rows ` +
          `(${report.rls.tablesChecked} tables)`
        : `RLS isolation: not checked (${report.rls.reason})`,
      `decryption: ${report.decrypt.decrypted} of ${report.decrypt.sampled} sampled leads decrypt`,
      ...report.decrypt.failures.map((f) => `  ${f}`),
      `time: dump ${report.seconds.dump} s, restore ${report.seconds.restore} s, checks ${report.seconds.checks} s, ` +
        `total ${report.seconds.total} s`,
      report.ok ? "RESTORE DRILL PASSED" : "RESTORE DRILL FAILED",
    ].join("\n"),
  );
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`backup:drill: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
