import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next-path";
import { HOSTILE_NEXT_VALUES } from "./testing/hostile-next-values";

describe("safeNextPath", () => {
  it.each([
    ["/leads", "/leads"],
    ["/leads/abc?page=2", "/leads/abc?page=2"],
    ["/inbox#thread", "/inbox#thread"],
    ["/leads?status=new&source=web%20form", "/leads?status=new&source=web%20form"],
  ])("keeps the same-origin path %s", (raw, expected) => {
    expect(safeNextPath(raw)).toBe(expected);
  });

  it.each([...HOSTILE_NEXT_VALUES, "", undefined, null, `/${"a".repeat(600)}`])("falls back for %j", (raw) => {
    expect(safeNextPath(raw as string | undefined)).toBe("/dashboard");
  });

  it("never returns anything a browser would read as another origin", () => {
    for (const raw of HOSTILE_NEXT_VALUES) {
      const out = safeNextPath(raw);
      expect(new URL(out, "https://app.example").origin).toBe("https://app.example");
      expect(out).not.toMatch(/^\/[\\/]/);
    }
  });

  it("normalizes dot segments so they cannot climb to another origin", () => {
    expect(safeNextPath("/a/../../b")).toBe("/b");
  });
});
