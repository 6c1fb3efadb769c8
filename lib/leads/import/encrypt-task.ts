/**
 * Encryption of one batch of new leads into the rows its COPY reads: the CPU-heaviest step of an
 * import (one AES-GCM record envelope and two HMACs per lead), a plain function over plain data so
 * it runs unchanged on a worker thread or in the calling thread.
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

/**
 * The columns of the rows runEncryptTask writes, in order: the staging table an import COPYs its
 * new leads into (lead-batch-sql.ts) has exactly these.
 */
export const STAGED_LEAD_COLUMNS = [
  ["id", "uuid"],
  ["pii_enc", "text"],
  ["phone_bidx", "text"],
  ["email_bidx", "text"],
  ["full_name_bidx", "text"],
  ["status", "public.lead_status"],
  ["consent_status", "public.consent_status"],
  ["consent_source", "text"],
  ["consent_updated_at", "timestamptz"],
  ["source_id", "uuid"],
  ["assigned_to", "uuid"],
  ["last_activity_at", "timestamptz"],
] as const;

// A row is about 700 bytes (most of it the envelope); a batch's buffer grows if it needs more.
const TYPICAL_ROW_BYTES = 800;
// Printable ASCII without the backslash: what COPY's text format reads as itself.
const COPY_PLAIN = /^[\x20-\x5b\x5d-\x7e]*$/;

/**
 * New leads as rows of COPY's text format (tab-separated, `\N` for null, one line a lead), ASCII
 * bytes: envelopes, blind indexes, uuids, enum values and ISO dates never need escaping, and the
 * one constant that could (the consent source) is checked. Written straight into bytes, so a
 * batch leaves no large string behind and can be transferred from a worker without a copy.
 */
export function runEncryptTask(items: readonly NewLeadItem[], ctx: EncryptContext): Uint8Array {
  const { dealershipId, keyring, consentSource, nowIso } = ctx;
  if (!COPY_PLAIN.test(consentSource)) throw new TypeError("the consent source must be plain ASCII");
  // Never from Node's shared pool: the worker transfers the whole ArrayBuffer.
  let buf = Buffer.allocUnsafeSlow(Math.max(1, items.length) * TYPICAL_ROW_BYTES);
  let at = 0;
  const v = (s: string | null | undefined) => (s === null || s === undefined ? "\\N" : s);
  for (const { id, lead, phoneBidx, assignee, sourceId } of items) {
    const { pii_enc: record } = encryptLeadPii(lead, dealershipId, id, keyring);
    const name = normalizeNameForIndex(lead.firstName ?? "", lead.lastName ?? "");
    const consented = lead.consent !== null;
    const line =
      `${id}\t${v(record)}\t${phoneBidx}` +
      `\t${lead.email ? blindIndex("email", lead.email, dealershipId, keyring) : "\\N"}` +
      `\t${name ? blindIndex("name", name, dealershipId, keyring) : "\\N"}` +
      `\t${lead.consent === "opted_out" ? "opted_out" : "new"}` +
      `\t${lead.consent ?? "unknown"}` +
      `\t${consented ? consentSource : "\\N"}` +
      `\t${consented ? nowIso : "\\N"}` +
      `\t${v(sourceId)}\t${v(assignee)}` +
      `\t${lead.lastActivityAt ? lead.lastActivityAt.toISOString() : "\\N"}\n`;
    if (buf.length - at < line.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(buf.length * 2, at + line.length));
      buf.copy(bigger, 0, 0, at);
      buf = bigger;
    }
    at += buf.write(line, at, "latin1");
  }
  return new Uint8Array(buf.buffer, buf.byteOffset, at);
}
