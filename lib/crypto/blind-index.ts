/**
 * Blind indexes: keyed HMAC-SHA256 digests of normalized phone, email and name values, so rows
 * can be matched (de-duplication, inbound replies, opt-out suppression) without decrypting.
 *
 * Scoped by dealership and kind, so an index leaks nothing across tenants or columns. The
 * caller normalizes (E.164 phones; emails and names via the helpers below) because equal
 * people must produce byte-identical input.
 *
 * No `import "server-only"`: it throws under tsx, and backfill scripts import this.
 */
import { createHmac } from "node:crypto";
import { keyringFromEnv, type Keyring } from "./keyring";
import { secretKeyObject } from "./key-objects";

/** Which kind of value is indexed; part of the HMAC input so kinds never collide. */
export type BlindIndexKind = "phone" | "email" | "name" | "lead_source";

const KINDS: ReadonlySet<string> = new Set<BlindIndexKind>(["phone", "email", "name", "lead_source"]);
// Versioned domain tag: a future change of encoding can live beside v1 during a backfill.
const DOMAIN = "blind-index/v1";

/**
 * base64url (43 chars) of HMAC-SHA256(blindIndexKey, JSON[domain, kind, dealershipId, value]).
 * Throws on an empty value or dealership id, which would otherwise match every empty field.
 */
export function blindIndex(
  kind: BlindIndexKind,
  normalizedValue: string,
  dealershipId: string,
  keyring: Keyring = keyringFromEnv(),
): string {
  if (!KINDS.has(kind)) throw new TypeError(`blindIndex: unknown kind`);
  if (typeof normalizedValue !== "string" || normalizedValue === "") {
    throw new TypeError(`blindIndex(${kind}): value must be a non-empty normalized string`);
  }
  if (typeof dealershipId !== "string" || dealershipId === "") {
    throw new TypeError(`blindIndex(${kind}): dealershipId must be a non-empty string`);
  }
  // JSON of a string array is unambiguous: ("a", "b:c") and ("a:b", "c") encode differently.
  const input = `${jsonPrefix(kind, dealershipId)},${JSON.stringify(normalizedValue)}]`;
  return createHmac("sha256", secretKeyObject(keyring.blindIndexKey)).update(input, "utf8").digest("base64url");
}

// The last prefix per kind: a bulk import indexes thousands of values of one dealership in a row.
const prefixes = new Map<string, { dealershipId: string; prefix: string }>();

/** JSON.stringify([DOMAIN, kind, dealershipId, value]) up to the value: the same bytes, built once. */
function jsonPrefix(kind: BlindIndexKind, dealershipId: string): string {
  const last = prefixes.get(kind);
  if (last?.dealershipId === dealershipId) return last.prefix;
  const prefix = JSON.stringify([DOMAIN, kind, dealershipId]).slice(0, -1);
  prefixes.set(kind, { dealershipId, prefix });
  return prefix;
}

// Pragmatic, not RFC 5322: dot-atom local part (no leading/trailing/double dots) and a domain of
// LDH labels with an alphabetic TLD. Quoted local parts and IDN U-labels are rejected on purpose.
const EMAIL_RE =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Trimmed, lower-cased email, or null when it is not a plausible address. */
export function normalizeEmail(raw: string): string | null {
  if (typeof raw !== "string") return null;
  const email = raw.trim().toLowerCase();
  if (email.length > 254) return null;
  const at = email.lastIndexOf("@");
  if (at < 1 || at > 64) return null; // local part is at most 64 octets
  return EMAIL_RE.test(email) ? email : null;
}

function normalizeNamePart(part: string): string {
  return part.normalize("NFKC").toLowerCase().replace(/\s+/gu, " ").trim();
}

/**
 * "first last" after NFKC, lower-casing and whitespace collapsing, for the name blind index;
 * null when both parts are empty. A missing part leaves just the other one.
 */
export function normalizeNameForIndex(first: string, last: string): string | null {
  const joined = [normalizeNamePart(first ?? ""), normalizeNamePart(last ?? "")].filter((p) => p !== "").join(" ");
  return joined === "" ? null : joined;
}
