/**
 * `npm run keys:rotate`: re-encrypt every encrypted column to the active key (the first entry of
 * PII_ENCRYPTION_KEYS) and convert leads still stored field by field into one record envelope.
 * Safe to interrupt and re-run. Keep old keys in PII_ENCRYPTION_KEYS until it reports nothing
 * left to rotate. It first converts plaintext lead sources left from before lead_sources existed
 * (lib/leads/legacy-lead-sources.ts).
 */
import postgres from "postgres";
import { convertLegacyLeadSources } from "../leads/legacy-lead-sources";
import { keyringFromEnv } from "./keyring";
import { rotateEncryptedColumns } from "./rotate-keys";

function bar(done: number, total: number): string {
  const width = 30;
  const filled = total === 0 ? width : Math.round((width * done) / total);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`;
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set.");
  const keyring = keyringFromEnv();
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const legacy = await convertLegacyLeadSources(sql, keyring);
    if (legacy) console.log(`Encrypted the plaintext source of ${legacy} leads.`);
    console.log(`Rotating to key "${keyring.activeKeyId}"`);
    const { rewritten, failed } = await rotateEncryptedColumns(sql, keyring, {
      onProgress: ({ table, done, total }) =>
        process.stdout.write(`\r${table.padEnd(16)} ${bar(done, total)}${done === total ? "\n" : ""}`),
    });
    const total = Object.values(rewritten).reduce((a, b) => a + b, 0);
    for (const f of failed.slice(0, 50))
      console.log(`Could not decrypt ${f.table} row ${f.id} (${f.reason}); left as it was.`);
    if (failed.length > 50) console.log(`…and ${failed.length - 50} more rows that could not be decrypted.`);
    if (failed.length > 0) {
      console.log(
        `${total} rows re-encrypted; ${failed.length} could not be (are all their keys in PII_ENCRYPTION_KEYS?). ` +
          "Keep the old keys until a run reports nothing left.",
      );
      process.exitCode = 2;
    } else {
      console.log(total ? `Done: ${total} rows re-encrypted.` : "Nothing left to rotate.");
    }
  } finally {
    await sql.end();
  }
}

main().catch((err) => {
  console.error(`keys:rotate failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
