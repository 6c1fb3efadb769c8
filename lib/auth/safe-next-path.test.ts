import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next-path";

describe("safeNextPath", () => {
  it.each([
    ["/leads", "/leads"],
    ["/leads/abc?page=2", "/leads/abc?page=2"],
    ["/inbox#thread", "/inbox#thread"],
  ])("keeps the same-origin path %s", (raw, expected) => {
    expect(safeNextPath(raw)).toBe(expected);
  });

  it.each([
    "https://evil.example/",
    "//evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/%0d%0aSet-Cookie:x",
    "/ok\u0000",
    "leads",
    "/login?next=/x",
    "",
    undefined,
    null,
    `/${"a".repeat(600)}`,
  ])("falls back for %s", (raw) => {
    expect(safeNextPath(raw as string | undefined)).toBe("/dashboard");
  });

  it("normalizes dot segments so they cannot climb to another origin", () => {
    expect(safeNextPath("/a/../../b")).toBe("/b");
  });
});
