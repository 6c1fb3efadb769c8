import { describe, it, expect } from "vitest";
import { generateKey, keyringFromEnv, parseKeyring } from "./keyring";

function expectThrowWithout(fn: () => unknown, variable: string, secrets: string[]): string {
  let message = "";
  try {
    fn();
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message, "expected a throw").not.toBe("");
  expect(message).toContain(variable);
  for (const s of secrets) expect(message).not.toContain(s);
  return message;
}

describe("parseKeyring", () => {
  it("parses several keys with the first one active", () => {
    const [a, b, blind] = [generateKey(), generateKey(), generateKey()];
    const kr = parseKeyring(`k2:${a}, k1:${b}`, blind);
    expect(kr.activeKeyId).toBe("k2");
    expect([...kr.keys.keys()]).toEqual(["k2", "k1"]);
    expect(kr.keys.get("k2")?.toString("base64")).toBe(a);
    expect(kr.blindIndexKey.toString("base64")).toBe(blind);
  });

  it("generateKey returns base64 of 32 random bytes", () => {
    const k = generateKey();
    expect(Buffer.from(k, "base64")).toHaveLength(32);
    expect(generateKey()).not.toBe(k);
  });

  it("rejects an empty variable", () => {
    expectThrowWithout(() => parseKeyring("", generateKey()), "PII_ENCRYPTION_KEYS", []);
    expectThrowWithout(() => parseKeyring("  ", generateKey()), "PII_ENCRYPTION_KEYS", []);
    expectThrowWithout(() => parseKeyring(`k1:${generateKey()}`, ""), "PII_BLIND_INDEX_KEY", []);
  });

  it("rejects a short key without leaking it", () => {
    const short = Buffer.alloc(31, 7).toString("base64");
    expectThrowWithout(() => parseKeyring(`k1:${short}`, generateKey()), "PII_ENCRYPTION_KEYS", [short]);
  });

  it("rejects a long key and non-base64 junk", () => {
    const long = Buffer.alloc(33, 7).toString("base64");
    expectThrowWithout(() => parseKeyring(`k1:${long}`, generateKey()), "PII_ENCRYPTION_KEYS", [long]);
    const junk = `${generateKey().slice(0, 20)}!!${generateKey().slice(22)}`;
    expectThrowWithout(() => parseKeyring(`k1:${junk}`, generateKey()), "PII_ENCRYPTION_KEYS", [junk]);
  });

  it("rejects a duplicate id", () => {
    const [a, b] = [generateKey(), generateKey()];
    const msg = expectThrowWithout(() => parseKeyring(`k1:${a},k1:${b}`, generateKey()), "PII_ENCRYPTION_KEYS", [a, b]);
    expect(msg).toContain("k1");
  });

  it("rejects the same key under two ids", () => {
    const a = generateKey();
    expectThrowWithout(() => parseKeyring(`k1:${a},k2:${a}`, generateKey()), "PII_ENCRYPTION_KEYS", [a]);
  });

  it("rejects bad ids without echoing them", () => {
    const a = generateKey();
    for (const id of ["", "has.dot", "has space", "x".repeat(33), "é"]) {
      expectThrowWithout(() => parseKeyring(`${id}:${a}`, generateKey()), "PII_ENCRYPTION_KEYS", [a]);
    }
    // A key pasted without an id must not be echoed back as "the id".
    expectThrowWithout(() => parseKeyring(a, generateKey()), "PII_ENCRYPTION_KEYS", [a, a.slice(0, 16)]);
    expectThrowWithout(() => parseKeyring(`k1:${a},`, generateKey()), "PII_ENCRYPTION_KEYS", [a]);
  });

  it("rejects a malformed blind index key", () => {
    const short = Buffer.alloc(16, 1).toString("base64");
    expectThrowWithout(() => parseKeyring(`k1:${generateKey()}`, short), "PII_BLIND_INDEX_KEY", [short]);
  });

  it("rejects a blind index key equal to an encryption key", () => {
    const [a, b] = [generateKey(), generateKey()];
    expectThrowWithout(() => parseKeyring(`k2:${a},k1:${b}`, b), "PII_BLIND_INDEX_KEY", [a, b]);
  });
});

describe("keyringFromEnv", () => {
  it("reads the variables and caches per value pair", () => {
    const env = { PII_ENCRYPTION_KEYS: `e1:${generateKey()}`, PII_BLIND_INDEX_KEY: generateKey() };
    const first = keyringFromEnv(env);
    expect(first.activeKeyId).toBe("e1");
    expect(keyringFromEnv({ ...env })).toBe(first);
    const rotated = { ...env, PII_ENCRYPTION_KEYS: `e2:${generateKey()},${env.PII_ENCRYPTION_KEYS}` };
    expect(keyringFromEnv(rotated).activeKeyId).toBe("e2");
  });

  it("names a missing variable", () => {
    expect(() => keyringFromEnv({ PII_BLIND_INDEX_KEY: generateKey() })).toThrow(/PII_ENCRYPTION_KEYS is not set/);
    expect(() => keyringFromEnv({ PII_ENCRYPTION_KEYS: `k:${generateKey()}` })).toThrow(
      /PII_BLIND_INDEX_KEY is not set/,
    );
  });
});
