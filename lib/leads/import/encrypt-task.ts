/**
 * Encryption of one batch of new leads into the JSON its insert statement reads: the CPU-heaviest
 * step of an import (one AES-GCM record envelope and two HMACs per lead), a plain function over
 * plain data so it runs unchanged on a worker thread or in the calling thread.
 */
import { blindIndex, normalizeNameForIndex } from "@/lib/crypto/blind-index";
import type { Keyring } from "@/lib/crypto/keyring";
import { encryptLeadPii } from "@/lib/leads/lead-fields";
import type { PreparedLead } from "./prepare-row";

export interface NewLeadItem {
  /** The new lead's id. */
  id: string;
  lead: PreparedLead;
  phoneBidx: string;
  assignee: string | null;
  /** The lead_sources id of lead.source (resolved before encryption; the label is never stored in clear). */
  sourceId?: string | null;
}

/** What every encryption needs besides the leads; sent to each worker once. */
export interface EncryptContext {
  dealershipId: string;
  keyring: Keyring;
  /** consent_source of consent taken from the file. */
  consentSource: string;
  nowIso: string;
}

// Envelopes, blind indexes, uuids and ISO dates are plain ASCII without quotes or backslashes, so
// they go into the JSON as they are. Building the text directly saves two objects per lead, which
// is most of this function's garbage.
const q = (v: string | null) => (v === null ? "null" : `"${v}"`);

/** New leads as the JSON array of a json_to_recordset insert: fields encrypted for each lead's id, blind indexes. */
export function runEncryptTask(items: readonly NewLeadItem[], ctx: EncryptContext): string {
  const { dealershipId, keyring } = ctx;
  const consentSource = JSON.stringify(ctx.consentSource);
  const parts: string[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const { id, lead, phoneBidx, assignee, sourceId } = items[i]!;
    const { pii_enc: record } = encryptLeadPii(lead, dealershipId, id, keyring);
    const name = normalizeNameForIndex(lead.firstName ?? "", lead.lastName ?? "");
    const json =
      `{"id":"${id}","pii_enc":${q(record)}` +
      `,"phone_bidx":"${phoneBidx}"` +
      `,"email_bidx":${q(lead.email ? blindIndex("email", lead.email, dealershipId, keyring) : null)}` +
      `,"full_name_bidx":${q(name ? blindIndex("name", name, dealershipId, keyring) : null)}` +
      `,"status":"${lead.consent === "opted_out" ? "opted_out" : "new"}"` +
      `,"consent_status":"${lead.consent ?? "unknown"}"` +
      `,"consent_source":${lead.consent ? consentSource : "null"}` +
      `,"consent_updated_at":${lead.consent ? `"${ctx.nowIso}"` : "null"}` +
      `,"source_id":${q(sourceId ?? null)}` +
      `,"assigned_to":${q(assignee)}` +
      `,"last_activity_at":${lead.lastActivityAt ? `"${lead.lastActivityAt.toISOString()}"` : "null"}}`;
    parts[i] = json;
  }
  return `[${parts.join(",")}]`;
}
