/**
 * `npm run audit:prune`: the scheduled retention prune of the audit log (daily, from the platform's
 * scheduler or pg_cron calling private.prune_audit_events directly). Keeps AUDIT_RETENTION_DAYS
 * (default 730, two years); the chains stay verifiable from their oldest kept row.
 */
import postgres from "postgres";
import { z } from "zod";

const days = z.coerce.number().int().min(1).max(36500).default(730).parse(process.env.AUDIT_RETENTION_DAYS);

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set.");
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select private.prune_audit_events(make_interval(days => ${days}))::text as deleted`;
    console.log(`Pruned ${row!.deleted} audit rows older than ${days} days.`);
  } finally {
    await sql.end();
  }
}

main().catch((err) => {
  console.error(`audit:prune failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
