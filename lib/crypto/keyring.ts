/**
 * The PII keyring: several AES-256 keys (the first one encrypts, all of them decrypt) plus a
 * separate HMAC key for blind indexes.
 *
 * Deliberately no `import "server-only"`: that package throws outside the react-server
 * condition, and the rotation and key-generation scripts import this module under tsx.
 * Nothing here is reachable from client code anyway (it reads secrets from process.env).
 */
import { randomBytes } from "node:crypto";

/** Parsed PII key material. Buffers are never logged or put in error messages. */
export interface Keyring {
  activeKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
  blindIndexKey: Buffer;
}

const ENC_VAR = "PII_ENCRYPTION_KEYS";
const BLIND_VAR = "PII_BLIND_INDEX_KEY";
const KEY_BYTES = 32;
const KEY_ID_RE = /^[A-Za-z0-9_-]{1,32}$/;

/** Key ids appear in envelopes (`v1.<keyId>.…`), so they must never contain a dot. */
export function isValidKeyId(id: string): boolean {
  return KEY_ID_RE.test(id);
}

/**
 * Decodes canonical base64 of exactly 32 bytes, or returns null. Buffer.from(…, "base64")
 * silently skips junk characters, so the re-encode comparison is what makes this strict.
 */
function decodeKey(b64: string): Buffer | null {
  const buf = Buffer.from(b64, "base64");
  if (buf.length !== KEY_BYTES) return null;
  const canonical = buf.toString("base64");
  if (b64 !== canonical && b64 !== canonical.replace(/=+$/, "")) return null;
  return buf;
}

/**
 * Parses `id:base64,id:base64,…` (first entry active) and the blind-index key.
 * Throws an Error naming the variable and the problem; messages never contain key material
 * (and not even a malformed id, in case a key was pasted where an id belongs).
 */
export function parseKeyring(encryptionKeys: string, blindIndexKey: string): Keyring {
  const raw = encryptionKeys.trim();
  if (raw === "") throw new Error(`${ENC_VAR} is empty; expected "id:base64key[,id:base64key…]"`);

  const keys = new Map<string, Buffer>();
  const entries = raw.split(",");
  entries.forEach((entry, i) => {
    const n = i + 1;
    const trimmed = entry.trim();
    if (trimmed === "") throw new Error(`${ENC_VAR}: entry #${n} is empty`);
    const colon = trimmed.indexOf(":");
    if (colon < 0) throw new Error(`${ENC_VAR}: entry #${n} is not in "id:base64key" form`);
    const id = trimmed.slice(0, colon);
    if (!isValidKeyId(id)) {
      throw new Error(`${ENC_VAR}: entry #${n} has an invalid key id (expected 1-32 characters of A-Z a-z 0-9 _ -)`);
    }
    if (keys.has(id)) throw new Error(`${ENC_VAR}: key id "${id}" appears more than once`);
    const key = decodeKey(trimmed.slice(colon + 1));
    if (!key) throw new Error(`${ENC_VAR}: key "${id}" is not base64 of exactly ${KEY_BYTES} bytes`);
    for (const [otherId, other] of keys) {
      // Same bytes under two ids is almost certainly a copy-paste slip during rotation.
      if (other.equals(key)) throw new Error(`${ENC_VAR}: keys "${otherId}" and "${id}" are identical`);
    }
    keys.set(id, key);
  });

  if (blindIndexKey.trim() === "") throw new Error(`${BLIND_VAR} is empty; expected base64 of ${KEY_BYTES} bytes`);
  const blind = decodeKey(blindIndexKey.trim());
  if (!blind) throw new Error(`${BLIND_VAR} is not base64 of exactly ${KEY_BYTES} bytes`);
  for (const [id, key] of keys) {
    // Reusing a key across AES and HMAC would couple two independent security properties.
    if (key.equals(blind))
      throw new Error(`${BLIND_VAR} must differ from every encryption key (it equals ${ENC_VAR} key "${id}")`);
  }

  const activeKeyId = keys.keys().next().value;
  if (activeKeyId === undefined) throw new Error(`${ENC_VAR} contains no keys`);
  return { activeKeyId, keys, blindIndexKey: blind };
}

let cached: { enc: string; blind: string; keyring: Keyring } | undefined;

/**
 * The keyring from PII_ENCRYPTION_KEYS and PII_BLIND_INDEX_KEY, parsed once per distinct pair
 * of values (so tests or scripts that change the env still get a fresh keyring).
 */
export function keyringFromEnv(env: Record<string, string | undefined> = process.env): Keyring {
  const enc = env[ENC_VAR];
  const blind = env[BLIND_VAR];
  if (enc === undefined) throw new Error(`${ENC_VAR} is not set`);
  if (blind === undefined) throw new Error(`${BLIND_VAR} is not set`);
  if (cached && cached.enc === enc && cached.blind === blind) return cached.keyring;
  const keyring = parseKeyring(enc, blind);
  cached = { enc, blind, keyring };
  return keyring;
}

/** A fresh random 256-bit key as base64, suitable for either variable. */
export function generateKey(): string {
  return randomBytes(KEY_BYTES).toString("base64");
}
