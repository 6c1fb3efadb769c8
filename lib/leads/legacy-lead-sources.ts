/**
 * Converts leads.legacy_source (the plaintext "source" column from before lead_sources existed)
 * into encrypted lead_sources rows, then clears it. A migration cannot do this (the keys live only
 * in the app's environment), so `npm run keys:rotate` runs it first. Runs as the database owner,
 * like the rotation; each batch is its own transaction, so it can be interrupted and run again.
 */
import type { Sql } from "postgres";
import type { Keyring } from "@/lib/crypto/keyring";
import type { UserTx } from "@/lib/db/with-user";
import { normalizeSourceLabel, resolveLeadSources } from "./lead-sources";

/** Converts every legacy source (one dealership's when given); returns the leads converted. */
export async function convertLegacyLeadSources(
  sql: Sql,
  keyring: Keyring,
  opts: { batchSize?: number; dealershipId?: string } = {},
): Promise<number> {
  const batchSize = opts.batchSize ?? 100;
  let converted = 0;
  for (;;) {
    const n = await sql.begin(async (tx) => {
      const pairs = await tx<{ dealership_id: string; legacy_source: string }[]>`
        select distinct dealership_id, legacy_source from public.leads
        where legacy_source is not null and (${opts.dealershipId ?? null}::uuid is null or dealership_id = ${opts.dealershipId ?? null}::uuid)
        limit ${batchSize}`;
      let done = 0;
      for (const { dealership_id: dealershipId, legacy_source: label } of pairs) {
        // The owner bypasses RLS, so the same helper as the import serves here.
        const ids = await resolveLeadSources(tx as unknown as UserTx, dealershipId, [label], keyring);
        const normalized = normalizeSourceLabel(label);
        const sourceId = normalized ? (ids.get(normalized) ?? null) : null;
        const updated = await tx`
          update public.leads set source_id = coalesce(source_id, ${sourceId}::uuid), legacy_source = null
          where dealership_id = ${dealershipId} and legacy_source = ${label}`;
        done += updated.count;
      }
      return done;
    });
    if (n === 0) return converted;
    converted += n;
  }
}
