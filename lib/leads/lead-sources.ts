/**
 * Lead sources: a per-dealership list with opaque ids. A source label comes from a file (free
 * text that may name a person), so it is stored only as an envelope (table lead_sources, column
 * label_enc, row id) with a dealership-scoped blind index of its normalized form; leads point at
 * it by id, and only that id ever goes in a URL. System sources ("Inbound SMS") are a fixed code.
 */
import { randomUUID } from "node:crypto";
import type { TransactionSql } from "postgres";
import { blindIndex } from "@/lib/crypto/blind-index";
import { DecryptionError, decryptField, encryptField } from "@/lib/crypto/field-cipher";
import type { Keyring } from "@/lib/crypto/keyring";
import type { UserScope } from "@/lib/db/scope";
import { UNREADABLE_LABEL } from "./decrypt-failures";

/** Labels of the sources the product itself creates. */
export const SYSTEM_SOURCE_LABELS: Record<string, string> = { inbound_sms: "Inbound SMS" };

export interface LeadSource {
  id: string;
  label: string;
}

/** The form a label is matched by: NFKC, whitespace collapsed, case-folded; null when empty. */
export function normalizeSourceLabel(label: string): string | null {
  const n = label.normalize("NFKC").replace(/\s+/gu, " ").trim().toLowerCase();
  return n === "" ? null : n;
}

const labelContext = (dealershipId: string, sourceId: string) => ({
  dealershipId,
  table: "lead_sources",
  column: "label_enc",
  rowId: sourceId,
});

/** The label to show for a source row (decrypted; "unreadable" when it will not decrypt). */
export function sourceLabelOf(
  r: { id: string | null; dealership_id: string; label_enc: string | null; system_key: string | null },
  keyring?: Keyring,
): string | null {
  if (!r.id) return null;
  if (r.system_key) return SYSTEM_SOURCE_LABELS[r.system_key] ?? r.system_key;
  if (!r.label_enc) return null;
  try {
    return decryptField(r.label_enc, labelContext(r.dealership_id, r.id), keyring);
  } catch (err) {
    if (err instanceof DecryptionError) return UNREADABLE_LABEL;
    throw err;
  }
}

/** The dealership's sources for the leads filter, by label. */
export async function listLeadSources({ sql, dealershipId }: UserScope): Promise<LeadSource[]> {
  const rows = await sql<{ id: string; dealership_id: string; label_enc: string | null; system_key: string | null }[]>`
    select id, dealership_id, label_enc, system_key from public.lead_sources where dealership_id = ${dealershipId} limit 500`;
  return rows.map((r) => ({ id: r.id, label: sourceLabelOf(r) ?? "" })).sort((a, b) => a.label.localeCompare(b.label));
}

/**
 * Finds or creates the sources for these labels (as the current user: owners, admins, managers)
 * and returns their ids by normalized label. Runs in the scope's transaction, so an import that
 * fails leaves no source behind.
 */
export async function resolveLeadSources(
  { sql, dealershipId }: UserScope,
  labels: Iterable<string>,
  keyring?: Keyring,
): Promise<Map<string, string>> {
  return findOrCreateLeadSources(sql, dealershipId, labels, keyring);
}

/**
 * resolveLeadSources on a transaction with no scope: for the database owner's own jobs (the
 * key-rotation script's legacy conversion, the local demo seed), which bypass RLS.
 */
export async function findOrCreateLeadSources(
  tx: TransactionSql,
  dealershipId: string,
  labels: Iterable<string>,
  keyring?: Keyring,
): Promise<Map<string, string>> {
  const byBidx = new Map<string, { normalized: string; label: string }>();
  for (const label of labels) {
    const normalized = normalizeSourceLabel(label);
    if (!normalized) continue;
    const bidx = blindIndex("lead_source", normalized, dealershipId, keyring);
    if (!byBidx.has(bidx)) byBidx.set(bidx, { normalized, label: label.trim() });
  }
  const out = new Map<string, string>();
  if (byBidx.size === 0) return out;
  const bidxJson = JSON.stringify([...byBidx.keys()]);
  const findExisting = async () => {
    const rows = await tx<{ id: string; label_bidx: string }[]>`
      select id, label_bidx from public.lead_sources
      where dealership_id = ${dealershipId} and label_bidx in (select json_array_elements_text(${bidxJson}::text::json))`;
    for (const r of rows) out.set(byBidx.get(r.label_bidx)!.normalized, r.id);
  };
  await findExisting();
  const missing = [...byBidx].filter(([, v]) => !out.has(v.normalized));
  if (missing.length > 0) {
    const rows = missing.map(([bidx, v]) => {
      const id = randomUUID();
      return { id, label_enc: encryptField(v.label, labelContext(dealershipId, id), keyring), label_bidx: bidx };
    });
    await tx`
      insert into public.lead_sources (id, dealership_id, label_enc, label_bidx)
      select x.id, ${dealershipId}, x.label_enc, x.label_bidx
      from json_to_recordset(${JSON.stringify(rows)}::text::json) as x(id uuid, label_enc text, label_bidx text)
      on conflict (dealership_id, label_bidx) do nothing`;
    await findExisting();
  }
  return out;
}
