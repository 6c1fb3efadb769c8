/**
 * Field-level encryption of personal data: AES-256-GCM with the keyring's active key.
 *
 * Envelope: `v1.<keyId>.<base64url(iv)>.<base64url(ciphertext||tag)>`. The associated data binds
 * version, key id, dealership, table, column and row id, so a ciphertext copied anywhere else
 * fails authentication instead of decrypting into the wrong record.
 *
 * No `import "server-only"`: it throws under tsx, and the key-rotation script imports this.
 */
import { createCipheriv, createDecipheriv, randomFillSync } from "node:crypto";
import { isValidKeyId, keyringFromEnv, type Keyring } from "./keyring";
import { secretKeyObject } from "./key-objects";

/** Where a value lives; all four parts are bound into the ciphertext. */
export interface CipherContext {
  dealershipId: string;
  table: string;
  column: string;
  rowId: string;
}

/** Why a decryption failed; never includes plaintext or key material. */
export type DecryptionFailureReason = "malformed" | "unknown_key" | "authentication_failed";

/** Thrown whenever an envelope cannot be decrypted; decryption never returns unauthenticated data. */
export class DecryptionError extends Error {
  readonly reason: DecryptionFailureReason;
  constructor(reason: DecryptionFailureReason, message: string) {
    super(message);
    this.name = "DecryptionError";
    this.reason = reason;
  }
}

const VERSION = "v1";
const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const IV_B64_LEN = 16; // 12 bytes -> exactly 16 base64url chars, no padding
const B64URL_RE = /^[A-Za-z0-9_-]*$/;

// randomBytes(12) per field is a syscall-sized cost (~2µs, a third of an encryption); drawing
// IVs from a bulk-filled pool is how Node's own randomUUID does it. Each slice is used once.
const IV_POOL = Buffer.allocUnsafe(IV_BYTES * 512);
let ivOffset = IV_POOL.length;

function nextIv(): Buffer {
  if (ivOffset >= IV_POOL.length) {
    randomFillSync(IV_POOL);
    ivOffset = 0;
  }
  const iv = IV_POOL.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

function checkContext(ctx: CipherContext): void {
  // An empty part would let, e.g., every not-yet-inserted row share one binding.
  for (const k of ["dealershipId", "table", "column", "rowId"] as const) {
    if (typeof ctx[k] !== "string" || ctx[k] === "")
      throw new TypeError(`CipherContext.${k} must be a non-empty string`);
  }
}

// JSON of a string array is an unambiguous encoding: no choice of values can make two
// different contexts serialize to the same bytes.
function associatedData(keyId: string, ctx: CipherContext): Buffer {
  return Buffer.from(`${associatedDataPrefix(keyId, ctx)},${JSON.stringify(ctx.rowId)}]`, "utf8");
}

// The last context's prefix: a bulk import encrypts thousands of rows of one table and dealership in a row.
let lastPrefix: { keyId: string; dealershipId: string; table: string; column: string; prefix: string } | null = null;

/** JSON.stringify([VERSION, keyId, dealershipId, table, column, rowId]) up to the row id: the same bytes, built once. */
function associatedDataPrefix(keyId: string, { dealershipId, table, column }: CipherContext): string {
  const last = lastPrefix;
  if (
    last !== null &&
    last.keyId === keyId &&
    last.dealershipId === dealershipId &&
    last.table === table &&
    last.column === column
  ) {
    return last.prefix;
  }
  const prefix = JSON.stringify([VERSION, keyId, dealershipId, table, column]).slice(0, -1);
  lastPrefix = { keyId, dealershipId, table, column, prefix };
  return prefix;
}

/** Strict base64url: Buffer.from skips invalid characters, so re-encoding must round-trip. */
function decodeB64url(s: string): Buffer | null {
  if (!B64URL_RE.test(s)) return null;
  const buf = Buffer.from(s, "base64url");
  return buf.toString("base64url") === s ? buf : null;
}

interface ParsedEnvelope {
  keyId: string;
  iv: Buffer;
  body: Buffer; // ciphertext || tag
}

function parseEnvelope(envelope: string, where: string): ParsedEnvelope {
  const malformed = (why: string) => new DecryptionError("malformed", `Cannot decrypt ${where}: ${why}`);
  if (typeof envelope !== "string") throw malformed("envelope is not a string");
  const parts = envelope.split(".");
  if (parts.length !== 4) throw malformed("envelope does not have 4 parts");
  const [version, keyId, ivPart, bodyPart] = parts as [string, string, string, string];
  if (version !== VERSION) throw malformed("unsupported envelope version");
  if (!isValidKeyId(keyId)) throw malformed("invalid key id");
  const iv = ivPart.length === IV_B64_LEN ? decodeB64url(ivPart) : null;
  if (!iv) throw malformed("invalid IV");
  const body = decodeB64url(bodyPart);
  if (!body || body.length < TAG_BYTES) throw malformed("invalid ciphertext");
  return { keyId, iv, body };
}

/** Encrypts one field value with the active key, bound to its dealership, table, column and row. */
export function encryptField(plaintext: string, ctx: CipherContext, keyring: Keyring = keyringFromEnv()): string {
  if (typeof plaintext !== "string") throw new TypeError("encryptField: plaintext must be a string");
  checkContext(ctx);
  const keyId = keyring.activeKeyId;
  const key = keyring.keys.get(keyId);
  if (!key) throw new Error("Keyring has no key for its active key id");
  const iv = nextIv();
  const cipher = createCipheriv(ALGORITHM, secretKeyObject(key), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(keyId, ctx));
  const head = cipher.update(plaintext, "utf8");
  const tail = cipher.final();
  const body = Buffer.concat([head, tail, cipher.getAuthTag()]);
  return `${VERSION}.${keyId}.${iv.toString("base64url")}.${body.toString("base64url")}`;
}

/**
 * Decrypts an envelope made by encryptField for exactly this context. Throws DecryptionError
 * (malformed / unknown_key / authentication_failed); messages name only table and column.
 */
export function decryptField(envelope: string, ctx: CipherContext, keyring: Keyring = keyringFromEnv()): string {
  checkContext(ctx);
  const where = `${ctx.table}.${ctx.column}`;
  const { keyId, iv, body } = parseEnvelope(envelope, where);
  const key = keyring.keys.get(keyId);
  if (!key)
    throw new DecryptionError("unknown_key", `Cannot decrypt ${where}: key id "${keyId}" is not in the keyring`);
  const decipher = createDecipheriv(ALGORITHM, secretKeyObject(key), iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(keyId, ctx));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    const head = decipher.update(body.subarray(0, body.length - TAG_BYTES));
    const tail = decipher.final(); // verifies the tag; nothing is returned before this succeeds
    return Buffer.concat([head, tail]).toString("utf8");
  } catch {
    throw new DecryptionError(
      "authentication_failed",
      `Cannot decrypt ${where}: authentication failed (tampered, or bound to another row/column/table/dealership)`,
    );
  }
}

/** encryptField for nullable columns: null, undefined and "" are stored as SQL NULL. */
export function encryptOptional(
  value: string | null | undefined,
  ctx: CipherContext,
  keyring: Keyring = keyringFromEnv(),
): string | null {
  return value === null || value === undefined || value === "" ? null : encryptField(value, ctx, keyring);
}

/** decryptField for nullable columns: null, undefined and "" decrypt to null. */
export function decryptOptional(
  envelope: string | null | undefined,
  ctx: CipherContext,
  keyring: Keyring = keyringFromEnv(),
): string | null {
  return envelope === null || envelope === undefined || envelope === "" ? null : decryptField(envelope, ctx, keyring);
}

/** The key id an envelope was encrypted with; throws DecryptionError("malformed") if unparsable. */
export function envelopeKeyId(envelope: string): string {
  return parseEnvelope(envelope, "envelope").keyId;
}

/** True when the envelope was not encrypted with the active key (the rotation script's filter). */
export function needsReencryption(envelope: string, keyring: Keyring = keyringFromEnv()): boolean {
  return envelopeKeyId(envelope) !== keyring.activeKeyId;
}
