/**
 * The automatic column mapping: recognizes the headers of common dealership CRM exports
 * (DealerSocket, VinSolutions, Elead, DriveCentric and plain spreadsheets) and the fingerprint
 * under which a dealership's mapping for a file shape is saved.
 */
import { createHash } from "node:crypto";
import type { ImportField, ImportMapping } from "./import-mapping.schema";
import { PHONE_FIELDS_BY_PREFERENCE } from "./import-mapping.schema";

/** Lower-cased ASCII words of a header: "E-mail Address:" → "e mail address". */
export function normalizeHeader(header: string): string {
  return header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/#/g, " number ")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

const EXACT: Record<string, ImportField> = {};
function words(field: ImportField, ...phrases: string[]) {
  for (const p of phrases) EXACT[p] = field;
}
// The CRM's own record id; "Customer ID", "Lead ID", "Contact ID", "Prospect ID" arrive here as
// "id" once their prefix is stripped (below).
words(
  "crmId",
  "id",
  "crm id",
  "crmid",
  "crm record id",
  "dms id",
  "record id",
  "customerid",
  "leadid",
  "contactid",
  "prospectid",
);
words("firstName", "first name", "firstname", "fname", "first", "f name", "given name", "first nm", "forename");
words("lastName", "last name", "lastname", "lname", "last", "l name", "surname", "family name", "last nm");
words(
  "fullName",
  "full name",
  "fullname",
  "name",
  "customer",
  "contact",
  "client",
  "customer full name",
  "lead name",
  "buyer",
);
words("email", "email", "e mail", "email address", "e mail address", "emailaddress", "email addr", "primary email");
words("vehicleYear", "year", "vehicle year", "veh year", "model year", "yr", "vehicle yr");
words("vehicleMake", "make", "vehicle make", "veh make");
words("vehicleModel", "model", "vehicle model", "veh model");
words("vehicleTrim", "trim", "vehicle trim", "veh trim", "trim level");
words(
  "vehicle",
  "vehicle",
  "vehicle of interest",
  "vehicle description",
  "vehicle info",
  "vehicle interest",
  "car",
  "vehicle name",
  "ymm",
);
words("vehicleVin", "vin", "vin number", "vehicle vin", "veh vin", "vin no");
words(
  "lastActivityAt",
  "last visit",
  "last visit date",
  "last activity",
  "last activity date",
  "last activity at",
  "last contact",
  "last contact date",
  "last contacted",
  "last contacted date",
  "last touch",
  "last touch date",
  "date of last visit",
  "last activity dt",
  "last contact dt",
  "last visit dt",
);
words(
  "salesperson",
  "salesperson",
  "sales person",
  "sales rep",
  "salesrep",
  "sales representative",
  "sales consultant",
  "salesman",
  "assigned to",
  "assigned salesperson",
  "assigned rep",
  "rep",
  "owner",
  "lead owner",
  "sales associate",
  "salesperson name",
);
words("source", "source", "lead source", "leadsource", "source name", "lead source name");
words("notes", "notes", "note", "comments", "comment", "remarks", "lead notes", "customer notes");
words(
  "consent",
  "consent",
  "sms consent",
  "text consent",
  "opt in",
  "optin",
  "opted in",
  "sms opt in",
  "sms optin",
  "text opt in",
  "sms opted in",
  "opt in status",
  "sms opt in status",
  "consent status",
  "sms permission",
  "text permission",
  "ok to text",
);
words(
  "doNotText",
  "do not text",
  "dnt",
  "do not sms",
  "sms opt out",
  "text opt out",
  "opt out",
  "opted out",
  "sms opted out",
);

// Words that name the lead's own record in a CRM export ("Customer First Name", "Primary Phone").
const PREFIXES = new Set([
  "customer",
  "cust",
  "contact",
  "client",
  "buyer",
  "prospect",
  "lead",
  "primary",
  "main",
  "best",
]);
// Columns about someone else, or about a number we must not text.
const OTHER_PERSON = /\b(co ?buyer|cobuyer|spouse|co applicant|coapplicant|emergency|reference)\b/;
const NOT_A_PHONE = /\b(fax|pager|ext|extension|type|do not call|dnc|consent|opt|verified|status)\b/;

function phoneField(h: string): ImportField | null {
  if (!/\b(phone|ph|tel|telephone|cell|cellphone|mobile|wireless|number)\b/.test(h) || NOT_A_PHONE.test(h)) return null;
  if (/\b(cell|cellphone|mobile|wireless|sms|text)\b/.test(h)) return "mobilePhone";
  if (/\b(home|evening|eve|night|residence|residential)\b/.test(h)) return "homePhone";
  if (/\b(work|business|office|day|daytime|employer)\b/.test(h)) return "workPhone";
  if (/\b(phone|ph|tel|telephone)\b/.test(h)) return "phone";
  return null;
}

/** The lead field a header most likely holds, or null when it is not recognized. */
export function recognizeHeader(header: string): ImportField | null {
  const h = normalizeHeader(header);
  if (h === "" || OTHER_PERSON.test(h)) return null;
  if (EXACT[h]) return EXACT[h];
  const tokens = h.split(" ");
  while (tokens.length > 1 && PREFIXES.has(tokens[0]!)) tokens.shift();
  const stripped = tokens.join(" ");
  if (EXACT[stripped]) return EXACT[stripped];
  const phone = phoneField(h);
  if (phone) return phone;
  if (/\be ?mail\b/.test(h) && !/\b(opt|consent|bounce|verified|status|type)\b/.test(h)) return "email";
  return null;
}

const REPEATABLE = new Set<ImportField>([...PHONE_FIELDS_BY_PREFERENCE, "notes"]);

/**
 * The suggested mapping for a header row: every recognized column, each single-valued field taken
 * by its first column only (phone columns all kept as fallbacks, in file order).
 */
export function suggestMapping(headers: readonly string[]): ImportMapping {
  const mapping: ImportMapping = {};
  const taken = new Set<ImportField>();
  for (const header of headers) {
    const field = recognizeHeader(header);
    if (!field || (taken.has(field) && !REPEATABLE.has(field))) continue;
    mapping[header] = field;
    taken.add(field);
  }
  return mapping;
}

/**
 * The "shape" of a header row: SHA-256 (hex) of its normalized, sorted header names. Files
 * exported by the same CRM report share it, whatever their rows and column order.
 */
export function headerFingerprint(headers: readonly string[]): string {
  const normalized = headers.map(normalizeHeader).sort();
  return createHash("sha256").update(JSON.stringify(normalized), "utf8").digest("hex");
}
