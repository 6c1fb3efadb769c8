import { createHmac } from "node:crypto";
import { describe, it, expect } from "vitest";
import { generateKey, parseKeyring } from "./keyring";
import { blindIndex, normalizeEmail, normalizeNameForIndex, type BlindIndexKind } from "./blind-index";

const kr = parseKeyring(`k1:${generateKey()}`, generateKey());
const D1 = "6f1c9a52-0000-4000-8000-000000000001";
const D2 = "6f1c9a52-0000-4000-8000-000000000002";

describe("blindIndex", () => {
  it("is HMAC-SHA256 of the JSON array [domain, kind, dealership, value], whatever came before", () => {
    // The stored indexes depend on these exact bytes; the function caches the array's start.
    const spec = (kind: BlindIndexKind, value: string, dealershipId: string) =>
      createHmac("sha256", kr.blindIndexKey)
        .update(JSON.stringify(["blind-index/v1", kind, dealershipId, value]), "utf8")
        .digest("base64url");
    const cases: [BlindIndexKind, string, string][] = [
      ["phone", "+15551234567", D1],
      ["phone", "+15551234567", D2],
      ["email", "a@b.co", D2],
      ["phone", "+15551234568", D1],
      ["name", 'o\'brien "q" \\ \u00e9\u4e2d\n', D1],
      ["name", "x", 'd"1'],
      ["name", "x", D1],
    ];
    for (const [kind, value, d] of [...cases, ...cases.reverse()]) {
      expect(blindIndex(kind, value, d, kr)).toBe(spec(kind, value, d));
    }
  });

  it("is deterministic and 43 base64url chars", () => {
    const a = blindIndex("phone", "+15551234567", D1, kr);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(blindIndex("phone", "+15551234567", D1, kr)).toBe(a);
  });

  it("differs for different values", () => {
    expect(blindIndex("phone", "+15551234567", D1, kr)).not.toBe(blindIndex("phone", "+15551234568", D1, kr));
  });

  it("is scoped by dealership", () => {
    expect(blindIndex("phone", "+15551234567", D1, kr)).not.toBe(blindIndex("phone", "+15551234567", D2, kr));
  });

  it("is scoped by kind", () => {
    const v = "same-value";
    const all = (["phone", "email", "name"] as BlindIndexKind[]).map((k) => blindIndex(k, v, D1, kr));
    expect(new Set(all).size).toBe(3);
  });

  it("depends on the blind index key", () => {
    const other = parseKeyring(`k1:${generateKey()}`, generateKey());
    expect(blindIndex("email", "a@b.co", D1, kr)).not.toBe(blindIndex("email", "a@b.co", D1, other));
  });

  it("does not depend on the encryption keys", () => {
    const blind = kr.blindIndexKey.toString("base64");
    const rotated = parseKeyring(`k2:${generateKey()}`, blind);
    expect(blindIndex("email", "a@b.co", D1, rotated)).toBe(blindIndex("email", "a@b.co", D1, kr));
  });

  it("encodes its input unambiguously", () => {
    expect(blindIndex("name", "b c", "a", kr)).not.toBe(blindIndex("name", "c", "a b", kr));
    expect(blindIndex("name", '","x', "a", kr)).not.toBe(blindIndex("name", "x", 'a","', kr));
  });

  it("rejects empty values and dealership ids", () => {
    expect(() => blindIndex("phone", "", D1, kr)).toThrow();
    expect(() => blindIndex("phone", "+15551234567", "", kr)).toThrow();
    expect(() => blindIndex("ssn" as BlindIndexKind, "x", D1, kr)).toThrow();
  });
});

describe("normalizeEmail", () => {
  it.each([
    ["  Jane.Doe@Example.COM ", "jane.doe@example.com"],
    ["a+tag@sub.example.co.uk", "a+tag@sub.example.co.uk"],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ["x_y-z@my-dealer.com", "x_y-z@my-dealer.com"],
  ])("accepts %j", (raw, expected) => {
    expect(normalizeEmail(raw)).toBe(expected);
  });

  it.each([
    "",
    "   ",
    "plainaddress",
    "@example.com",
    "jane@",
    "jane@example",
    "jane@@example.com",
    "jane doe@example.com",
    "jane@exa mple.com",
    ".jane@example.com",
    "jane.@example.com",
    "ja..ne@example.com",
    "jane@example..com",
    "jane@-example.com",
    "jane@example.c",
    "Jane <jane@example.com>",
    `${"a".repeat(65)}@example.com`,
    `a@${"b".repeat(250)}.com`,
  ])("rejects %j", (raw) => {
    expect(normalizeEmail(raw)).toBeNull();
  });
});

describe("normalizeNameForIndex", () => {
  it("lower-cases, collapses whitespace and joins", () => {
    expect(normalizeNameForIndex("  Mary   Ann ", "\tSMITH\n")).toBe("mary ann smith");
  });
  it("applies NFKC", () => {
    // Fullwidth letters and a decomposed é fold to their canonical forms.
    expect(normalizeNameForIndex("Ｊｏｓé", "Ze\u0301")).toBe("josé zé");
    expect(normalizeNameForIndex("Jos\u00e9", "")).toBe(normalizeNameForIndex("Jose\u0301", ""));
  });
  it("keeps a single part", () => {
    expect(normalizeNameForIndex("", "Smith")).toBe("smith");
    expect(normalizeNameForIndex("Cher", " ")).toBe("cher");
  });
  it("returns null when both parts are empty", () => {
    expect(normalizeNameForIndex("", "")).toBeNull();
    expect(normalizeNameForIndex("  ", "\u3000")).toBeNull();
  });
});
