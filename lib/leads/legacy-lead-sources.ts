/**
 * Converts private.legacy_lead_sources (the plaintext leads.source values from before lead_sources
 * existed, moved there by the migration) into encrypted lead_sources rows, then deletes them. A migration cannot do this (the keys live only
 * in the app's environment), so `npm run keys:rotate` runs it first. Runs as the database owner,
 * like the rotation; each batch is its own transaction, so it can be interrupted and run again.
 */
import type { Sql } from "postgres";
import type { Keyring } from "@/lib/crypto/keyring";
import { findOrCreateLeadSources, normalizeSourceLabel } from "./lead-sources";

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
      const pairs = await tx<{ dealership_id: string; label: string }[]>`
        select distinct dealership_id, label from private.legacy_lead_sources
        where ${opts.dealershipId ?? null}::uuid is null or dealership_id = ${opts.dealershipId ?? null}::uuid
        limit ${batchSize}`;
      let done = 0;
      for (const { dealership_id: dealershipId, label } of pairs) {
        // The owner bypasses RLS, so the same helper as the import serves here.
        const ids = await findOrCreateLeadSources(tx, dealershipId, [label], keyring);
        const normalized = normalizeSourceLabel(label);
        const sourceId = normalized ? (ids.get(normalized) ?? null) : null;
        const moved = await tx<{ lead_id: string }[]>`
          delete from private.legacy_lead_sources where dealership_id = ${dealershipId} and label = ${label} returning lead_id`;
        await tx`
          update public.leads set source_id = coalesce(source_id, ${sourceId}::uuid)
          where id in (select json_array_elements_text(${JSON.stringify(moved.map((m) => m.lead_id))}::text::json)::uuid)`;
        done += moved.length;
      }
      return done;
    });
    if (n === 0) return converted;
    converted += n;
  }
}
