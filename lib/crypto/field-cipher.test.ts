import { createDecipheriv } from "node:crypto";
import { describe, it, expect } from "vitest";
import { generateKey, parseKeyring, type Keyring } from "./keyring";
import {
  DecryptionError,
  decryptField,
  decryptOptional,
  encryptField,
  encryptOptional,
  envelopeKeyId,
  needsReencryption,
  type CipherContext,
  type DecryptionFailureReason,
} from "./field-cipher";

const ctx: CipherContext = {
  dealershipId: "6f1c9a52-0000-4000-8000-000000000001",
  table: "leads",
  column: "phone",
  rowId: "8a1f0c33-0000-4000-8000-000000000042",
};

function makeKeyring(ids: string[] = ["k1"]): Keyring {
  return parseKeyring(ids.map((id) => `${id}:${generateKey()}`).join(","), generateKey());
}

function failure(fn: () => unknown): DecryptionError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DecryptionError);
    return e as DecryptionError;
  }
  throw new Error("expected decryption to fail");
}

function expectFailure(fn: () => unknown, reason: DecryptionFailureReason): DecryptionError {
  const err = failure(fn);
  expect(err.reason).toBe(reason);
  return err;
}

/** Flips one bit at byte `index` of a base64url part. */
function flipBit(part: string, index: number): string {
  const buf = Buffer.from(part, "base64url");
  buf[index] = (buf[index] ?? 0) ^ 0x01;
  return buf.toString("base64url");
}

function parts(envelope: string): [string, string, string, string] {
  const p = envelope.split(".");
  expect(p).toHaveLength(4);
  return p as [string, string, string, string];
}

describe("encryptField / decryptField", () => {
  const kr = makeKeyring();

  it.each([
    ["ascii", "+15551234567"],
    ["empty string", ""],
    ["unicode", "Zoë Ångström-Łukasz 東京"],
    ["emoji", "🚗💨 👩🏽‍🔧"],
    ["long", "x".repeat(10_000)],
    ["dots and commas", "a.b.c,d:e"],
  ])("round-trips %s", (_label, value) => {
    const env = encryptField(value, ctx, kr);
    expect(env).toMatch(/^v1\.k1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(decryptField(env, ctx, kr)).toBe(value);
  });

  it("produces a different envelope each time (random IV)", () => {
    const a = encryptField("same", ctx, kr);
    const b = encryptField("same", ctx, kr);
    expect(a).not.toBe(b);
    expect(parts(a)[2]).not.toBe(parts(b)[2]);
  });

  it("uses a 12-byte IV and a 16-byte tag", () => {
    const value = "hello";
    const [version, keyId, iv, body] = parts(encryptField(value, ctx, kr));
    expect(version).toBe("v1");
    expect(keyId).toBe("k1");
    expect(Buffer.from(iv, "base64url")).toHaveLength(12);
    expect(Buffer.from(body, "base64url")).toHaveLength(Buffer.byteLength(value) + 16);
    const emptyBody = parts(encryptField("", ctx, kr))[3];
    expect(Buffer.from(emptyBody, "base64url")).toHaveLength(16);
  });

  it("does not contain the plaintext", () => {
    const env = encryptField("jane@example.com", ctx, kr);
    expect(env).not.toContain("jane");
    expect(env).not.toContain(Buffer.from("jane@example.com").toString("base64url"));
  });

  describe("tampering", () => {
    const value = "+15551234567";
    const env = encryptField(value, ctx, kr);
    const [v, id, iv, body] = parts(env);
    const bodyLen = Buffer.from(body, "base64url").length;

    it("a flipped bit in the IV fails authentication", () => {
      for (const i of [0, 11])
        expectFailure(() => decryptField([v, id, flipBit(iv, i), body].join("."), ctx, kr), "authentication_failed");
    });

    it("a flipped bit in the ciphertext fails authentication", () => {
      for (const i of [0, bodyLen - 17]) {
        expectFailure(() => decryptField([v, id, iv, flipBit(body, i)].join("."), ctx, kr), "authentication_failed");
      }
    });

    it("a flipped bit in the tag fails authentication", () => {
      for (const i of [bodyLen - 16, bodyLen - 1]) {
        expectFailure(() => decryptField([v, id, iv, flipBit(body, i)].join("."), ctx, kr), "authentication_failed");
      }
    });

    it("a truncated tag fails", () => {
      const short = Buffer.from(body, "base64url")
        .subarray(0, bodyLen - 1)
        .toString("base64url");
      const err = failure(() => decryptField([v, id, iv, short].join("."), ctx, kr));
      expect(["authentication_failed", "malformed"]).toContain(err.reason);
    });

    it("error messages never contain the plaintext", () => {
      const err = expectFailure(
        () => decryptField([v, id, iv, flipBit(body, 0)].join("."), ctx, kr),
        "authentication_failed",
      );
      expect(err.message).not.toContain(value);
      expect(err.message).toContain("leads.phone");
    });
  });

  describe("context binding", () => {
    const env = encryptField("secret", ctx, kr);
    it.each<[string, Partial<CipherContext>]>([
      ["rowId", { rowId: "8a1f0c33-0000-4000-8000-000000000043" }],
      ["column", { column: "email" }],
      ["table", { table: "contacts" }],
      ["dealership", { dealershipId: "6f1c9a52-0000-4000-8000-000000000002" }],
    ])("fails when moved to another %s", (_label, change) => {
      expectFailure(() => decryptField(env, { ...ctx, ...change }, kr), "authentication_failed");
    });

    it("encodes the context unambiguously", () => {
      const a = encryptField("x", { ...ctx, table: "a.b", column: "c" }, kr);
      expectFailure(() => decryptField(a, { ...ctx, table: "a", column: "b.c" }, kr), "authentication_failed");
      const b = encryptField("x", { ...ctx, table: 'a","b', column: "c" }, kr);
      expectFailure(() => decryptField(b, { ...ctx, table: "a", column: 'b","c' }, kr), "authentication_failed");
    });

    it("rejects an empty context part", () => {
      expect(() => encryptField("x", { ...ctx, rowId: "" }, kr)).toThrow(/rowId/);
    });
  });

  it("fails with unknown_key for a key id missing from the keyring", () => {
    const env = encryptField("x", ctx, makeKeyring(["other"]));
    const err = expectFailure(() => decryptField(env, ctx, kr), "unknown_key");
    expect(err.message).toContain("other");
  });

  it("fails with authentication_failed for a different key under the same id", () => {
    const env = encryptField("x", ctx, makeKeyring(["k1"]));
    expectFailure(() => decryptField(env, ctx, kr), "authentication_failed");
  });

  it("rejects the key id being swapped in the envelope", () => {
    const two = makeKeyring(["k2", "k1"]);
    const [v, , iv, body] = parts(encryptField("x", ctx, two));
    expectFailure(() => decryptField([v, "k1", iv, body].join("."), ctx, two), "authentication_failed");
  });

  describe("malformed envelopes", () => {
    const [v, id, iv, body] = parts(encryptField("value", ctx, kr));
    it.each([
      ["empty", ""],
      ["plaintext", "+15551234567"],
      ["wrong version", ["v2", id, iv, body].join(".")],
      ["uppercase version", ["V1", id, iv, body].join(".")],
      ["missing part", [v, id, iv].join(".")],
      ["extra part", [v, id, iv, body, "x"].join(".")],
      ["empty key id", [v, "", iv, body].join(".")],
      ["bad base64 in iv", [v, id, `${iv.slice(0, 15)}!`, body].join(".")],
      ["standard base64 chars", [v, id, iv, `${body}+/`].join(".")],
      ["padded base64", [v, id, iv, `${body}=`].join(".")],
      ["short iv", [v, id, iv.slice(0, 12), body].join(".")],
      ["long iv", [v, id, `${iv}AAAA`, body].join(".")],
      ["empty body", [v, id, iv, ""].join(".")],
      ["body shorter than a tag", [v, id, iv, "AAAA"].join(".")],
    ])("%s", (_label, envelope) => {
      expectFailure(() => decryptField(envelope, ctx, kr), "malformed");
    });
    void v;
  });

  it("keeps decrypting with an old key after rotation", () => {
    const oldEntry = `old:${generateKey()}`;
    const blind = generateKey();
    const before = parseKeyring(oldEntry, blind);
    const env = encryptField("legacy", ctx, before);
    expect(needsReencryption(env, before)).toBe(false);

    const after = parseKeyring(`new:${generateKey()},${oldEntry}`, blind);
    expect(after.activeKeyId).toBe("new");
    expect(decryptField(env, ctx, after)).toBe("legacy");
    expect(envelopeKeyId(env)).toBe("old");
    expect(needsReencryption(env, after)).toBe(true);

    const fresh = encryptField("legacy", ctx, after);
    expect(envelopeKeyId(fresh)).toBe("new");
    expect(needsReencryption(fresh, after)).toBe(false);
  });

  it("envelopeKeyId throws malformed on garbage", () => {
    expectFailure(() => envelopeKeyId("nope"), "malformed");
  });

  it("uses the env keyring by default", () => {
    // vitest's env sets PII_ENCRYPTION_KEYS / PII_BLIND_INDEX_KEY.
    if (!process.env.PII_ENCRYPTION_KEYS || !process.env.PII_BLIND_INDEX_KEY) return;
    expect(decryptField(encryptField("dflt", ctx), ctx)).toBe("dflt");
  });
});

describe("encryptOptional / decryptOptional", () => {
  const kr = makeKeyring();
  it("maps null, undefined and empty string to null", () => {
    for (const v of [null, undefined, ""]) {
      expect(encryptOptional(v, ctx, kr)).toBeNull();
      expect(decryptOptional(v, ctx, kr)).toBeNull();
    }
  });
  it("round-trips a value", () => {
    const env = encryptOptional("a", ctx, kr);
    expect(env).not.toBeNull();
    expect(decryptOptional(env, ctx, kr)).toBe("a");
  });
  it("still fails loudly on a bad envelope", () => {
    expectFailure(() => decryptOptional("v1.k1.bad", ctx, kr), "malformed");
  });
});

describe("associated data", () => {
  it("is the JSON array [version, key id, dealership, table, column, row], whatever was encrypted before", () => {
    // Stored envelopes depend on these exact bytes; the function caches the array's start.
    const keyring = makeKeyring(["k1"]);
    const contexts: CipherContext[] = [
      ctx,
      { ...ctx, rowId: "r2" },
      { ...ctx, column: "email" },
      { ...ctx, table: "lead_imports", rowId: 'r"\\3' },
      { ...ctx, dealershipId: "d\u00e9" },
      ctx,
    ];
    for (const c of [...contexts, ...contexts.reverse()]) {
      const [, keyId, iv, body] = encryptField("hello", c, keyring).split(".") as [string, string, string, string];
      const bytes = Buffer.from(body, "base64url");
      const decipher = createDecipheriv("aes-256-gcm", keyring.keys.get(keyId)!, Buffer.from(iv, "base64url"), {
        authTagLength: 16,
      });
      decipher.setAAD(Buffer.from(JSON.stringify(["v1", keyId, c.dealershipId, c.table, c.column, c.rowId]), "utf8"));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      const plain = Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]);
      expect(plain.toString("utf8")).toBe("hello");
    }
  });
});
