/**
 * Record envelopes: all the encrypted fields of one row in ONE AES-256-GCM envelope (the same
 * `v1.<keyId>.<iv>.<ciphertext+tag>` format as field-cipher), bound by its associated data to
 * dealership, table, record column and row. One cipher setup per row instead of one per field:
 * Node's per-call setup, not AES itself, is what a bulk import spends its CPU on.
 *
 * The plaintext is a JSON object of the non-empty fields (`{"phone":"+1…","notes":"…"}`); absent
 * fields read back as null. Field names are the app's (camelCase), never column names, so a column
 * rename cannot change what a stored record means.
 *
 * No `import "server-only"`: the key-rotation script imports this under tsx.
 */
import { DecryptionError, decryptField, encryptField, type CipherContext } from "./field-cipher";
import { keyringFromEnv, type Keyring } from "./keyring";

/** The fields of a record: a value, or null/undefined/"" for "not set". */
export type RecordFields = Readonly<Record<string, string | null | undefined>>;

/**
 * Encrypts the non-empty fields as one envelope bound to ctx (whose column is the record column,
 * e.g. "pii_enc"); null when no field has a value (nothing to store).
 */
export function encryptRecord(
  fields: RecordFields,
  ctx: CipherContext,
  keyring: Keyring = keyringFromEnv(),
): string | null {
  // Built by hand: skipping empty fields in one pass without an intermediate object.
  let json = "";
  for (const name in fields) {
    const value = fields[name];
    if (value === null || value === undefined || value === "") continue;
    if (typeof value !== "string") throw new TypeError(`encryptRecord: field ${name} must be a string`);
    json += `${json === "" ? "{" : ","}${JSON.stringify(name)}:${JSON.stringify(value)}`;
  }
  return json === "" ? null : encryptField(`${json}}`, ctx, keyring);
}

/**
 * Decrypts a record envelope made by encryptRecord for exactly this context into its fields (only
 * the ones stored). Throws DecryptionError like decryptField; a plaintext that is not a JSON object
 * of strings (which authentication makes impossible for our own envelopes) is "malformed".
 */
export function decryptRecord(
  envelope: string,
  ctx: CipherContext,
  keyring: Keyring = keyringFromEnv(),
): Record<string, string> {
  const json = decryptField(envelope, ctx, keyring);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    parsed = null;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new DecryptionError("malformed", `Cannot decrypt ${ctx.table}.${ctx.column}: not a record`);
  }
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof value !== "string") {
      throw new DecryptionError("malformed", `Cannot decrypt ${ctx.table}.${ctx.column}: not a record`);
    }
    out[name] = value;
  }
  return out;
}
