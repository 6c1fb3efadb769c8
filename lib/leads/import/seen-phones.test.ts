import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SeenPhones } from "./seen-phones";

const bidx = () => randomBytes(32).toString("base64url");

describe("SeenPhones", () => {
  it("remembers every phone and its flags through many resizes, and counts by flag", () => {
    const seen = new SeenPhones(4);
    const phones = Array.from({ length: 20_000 }, bidx);
    phones.forEach((p, i) => seen.set(p, i % 3));
    phones.forEach((p, i) => expect(seen.get(p)).toBe(i % 3));
    expect(seen.size).toBe(20_000);
    expect(seen.has(bidx())).toBe(false);
    expect(seen.get(bidx())).toBeUndefined();
    seen.set(phones[0]!, 2); // replacing flags does not add a phone
    expect(seen.size).toBe(20_000);
    expect(seen.countWith(1)).toBe(phones.filter((_, i) => i % 3 === 1).length);
    expect(seen.countWith(1 | 2)).toBe(phones.filter((_, i) => i > 0 && i % 3 !== 0).length + 1);
  });
});
