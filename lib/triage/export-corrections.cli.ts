/**
 * DATABASE_URL=... PII_ENCRYPTION_KEYS=... PII_BLIND_INDEX_KEY=... npm run -s triage:export-corrections > corrections.jsonl
 * Writes every staff correction as one labelled reply per line (JSON Lines), for
 * `npm run triage:train -- --corrections corrections.jsonl`. The lines are what leads wrote:
 * review them, and never commit the file.
 */
import { pool } from "@/lib/db/pool";
import { exportTriageCorrections } from "./export-corrections";

try {
  const replies = await exportTriageCorrections();
  for (const r of replies) process.stdout.write(`${JSON.stringify(r)}\n`);
  console.error(`exported ${replies.length} corrections`);
} finally {
  await pool().end();
}
