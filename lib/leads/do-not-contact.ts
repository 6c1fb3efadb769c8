/**
 * The dealership's do-not-contact list: numbers never to text, whether or not they are leads.
 * Matched by the phone blind index (E.164), so suppression works without decrypting anything.
 */
import { randomUUID } from "node:crypto";
import { blindIndex } from "@/lib/crypto/blind-index";
import { decryptOptional, encryptField } from "@/lib/crypto/field-cipher";
import { keyringFromEnv, type Keyring } from "@/lib/crypto/keyring";
import type { UserScope } from "@/lib/db/scope";
import { normalizePhone } from "./phone";

const LOOKUP_CHUNK = 10_000;

export interface DoNotContactEntry {
  id: string;
  phone: string | null;
  source: string;
  createdBy: string | null;
  createdAt: Date;
}

export interface AddDoNotContactResult {
  added: number;
  alreadyListed: number;
  /** Input position (0-based) and reason of each number that could not be read. */
  invalid: { index: number; reason: string }[];
}

const phoneContext = (dealershipId: string, id: string) => ({
  dealershipId,
  table: "do_not_contact",
  column: "phone_enc",
  rowId: id,
});

/**
 * Adds numbers (any format; the dealership's region applies) to the list as the current user.
 * Numbers already listed are left as they are.
 */
export async function addToDoNotContact(
  { sql, dealershipId, region }: UserScope,
  rawPhones: readonly string[],
  opts: { source: string; keyring?: Keyring },
): Promise<AddDoNotContactResult> {
  const keyring = opts.keyring ?? keyringFromEnv();
  const invalid: AddDoNotContactResult["invalid"] = [];
  const rows = new Map<string, { id: string; phone_bidx: string; phone_enc: string }>();
  rawPhones.forEach((raw, index) => {
    const phone = normalizePhone(raw, region);
    if (!phone.ok) return void invalid.push({ index, reason: phone.reason });
    const bidx = blindIndex("phone", phone.e164, dealershipId, keyring);
    if (rows.has(bidx)) return;
    const id = randomUUID();
    rows.set(bidx, {
      id,
      phone_bidx: bidx,
      phone_enc: encryptField(phone.e164, phoneContext(dealershipId, id), keyring),
    });
  });
  let added = 0;
  const all = [...rows.values()];
  for (let i = 0; i < all.length; i += LOOKUP_CHUNK) {
    const chunk = all.slice(i, i + LOOKUP_CHUNK);
    const inserted = await sql<{ id: string }[]>`
      insert into public.do_not_contact (id, dealership_id, phone_bidx, phone_enc, source, created_by)
      select x.id, ${dealershipId}, x.phone_bidx, x.phone_enc, ${opts.source}, (select auth.uid())
      from json_to_recordset(${JSON.stringify(chunk)}::text::json) as x(id uuid, phone_bidx text, phone_enc text)
      on conflict (dealership_id, phone_bidx) do nothing
      returning id`;
    added += inserted.length;
  }
  return { added, alreadyListed: all.length - added, invalid };
}

/** Which of these phone blind indexes are on the dealership's list. */
export async function doNotContactSet(
  { sql, dealershipId }: UserScope,
  phoneBidxes: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  const queries = [];
  for (let i = 0; i < phoneBidxes.length; i += LOOKUP_CHUNK) {
    const chunk = JSON.stringify(phoneBidxes.slice(i, i + LOOKUP_CHUNK));
    queries.push(sql<{ phone_bidx: string }[]>`
      select phone_bidx from public.do_not_contact
      where dealership_id = ${dealershipId} and phone_bidx in (select json_array_elements_text(${chunk}::text::json))`);
  }
  for (const rows of await Promise.all(queries)) for (const r of rows) found.add(r.phone_bidx);
  return found;
}

/** The list, newest first, with numbers decrypted for display. */
export async function listDoNotContact(
  { sql, dealershipId }: UserScope,
  opts: { limit: number; offset: number },
): Promise<DoNotContactEntry[]> {
  const rows = await sql<
    { id: string; phone_enc: string | null; source: string; created_by: string | null; created_at: Date }[]
  >`
    select id, phone_enc, source, created_by, created_at from public.do_not_contact
    where dealership_id = ${dealershipId} order by created_at desc, id limit ${opts.limit} offset ${opts.offset}`;
  return rows.map((r) => ({
    id: r.id,
    phone: decryptOptional(r.phone_enc, phoneContext(dealershipId, r.id)),
    source: r.source,
    createdBy: r.created_by,
    createdAt: r.created_at,
  }));
}

/** Takes one entry off the list (RLS: owners and admins); true when something was removed. */
export async function removeFromDoNotContact({ sql, dealershipId }: UserScope, id: string): Promise<boolean> {
  const rows = await sql<
    { id: string }[]
  >`delete from public.do_not_contact where dealership_id = ${dealershipId} and id = ${id} returning id`;
  return rows.length > 0;
}
