/**
 * `next=` values an attacker would try for an open redirect; shared by the unit test of
 * safeNextPath and the e2e test of the login page and action, so both check the same list.
 */
export const HOSTILE_NEXT_VALUES: readonly string[] = [
  "https://evil.example/",
  "//evil.example/x",
  "///evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\\/evil.example",
  "javascript:alert(1)",
  "/%0d%0aSet-Cookie:x",
  "/ok\u0000",
  "leads",
  "/login?next=/x",
  "/LOGIN",
  // Dot segments that normalize into a protocol-relative `//evil.example`.
  "/.//evil.example",
  "/%2e//evil.example",
  "/%2E%2E//evil.example",
  "/a/..//evil.example",
  "/a/%2e%2e//evil.example",
  "/a/./..//evil.example",
  "/./%2e/..//evil.example",
  // Encoded slashes and backslashes.
  "/%2f/evil.example",
  "/%2F%2Fevil.example",
  "/%5c/evil.example",
  "/%5Cevil.example",
  // Whitespace and control characters that URL parsers strip.
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r/evil.example",
  "/%09/evil.example",
  " //evil.example",
  "/ /evil.example",
];
