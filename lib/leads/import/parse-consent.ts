/**
 * SMS consent values as CRM exports write them. An "opt in" column says yes/no; a "do not text"
 * column says the opposite, and its "no" means only "not known to be opted out".
 */

/** Consent read from a cell; null = no information; "unrecognized" = a value we cannot read. */
export type ConsentValue = "opted_in" | "opted_out" | null | "unrecognized";

const norm = (raw: string) =>
  raw
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, " ")
    .replace(/[.!]$/, "");

const OPTED_IN = new Set([
  "yes",
  "y",
  "true",
  "t",
  "1",
  "opted in",
  "opt in",
  "optin",
  "optedin",
  "in",
  "subscribed",
  "granted",
  "consented",
  "allowed",
  "allow",
  "ok",
  "x",
  "checked",
  "on",
]);
const OPTED_OUT = new Set([
  "no",
  "n",
  "false",
  "f",
  "0",
  "opted out",
  "opt out",
  "optout",
  "optedout",
  "out",
  "unsubscribed",
  "declined",
  "denied",
  "revoked",
  "stop",
  "stopped",
  "dnc",
  "do not contact",
  "do not text",
  "off",
]);
const UNKNOWN = new Set(["", "unknown", "n/a", "na", "none", "null", "pending", "-", "?"]);

/** Reads an opt-in / consent cell. */
export function parseConsent(raw: string): ConsentValue {
  const v = norm(raw);
  if (UNKNOWN.has(v)) return null;
  if (OPTED_IN.has(v)) return "opted_in";
  if (OPTED_OUT.has(v)) return "opted_out";
  return "unrecognized";
}

const AFFIRMATIVE = new Set(["yes", "y", "true", "t", "1", "x", "checked", "on"]);
const NEGATIVE = new Set(["no", "n", "false", "f", "0", "off"]);

/** Reads a do-not-text cell: yes (or an opt-out word) → opted out; no/blank/opt-in words → no information. */
export function parseDoNotText(raw: string): ConsentValue {
  const v = norm(raw);
  if (AFFIRMATIVE.has(v)) return "opted_out";
  if (UNKNOWN.has(v) || NEGATIVE.has(v) || OPTED_IN.has(v)) return null;
  if (OPTED_OUT.has(v)) return "opted_out";
  return "unrecognized";
}
