/**
 * One CSV row → a lead ready to store (normalized, cleaned, capped) or a rejection with a reason
 * a person can act on ("row 12: not a valid US phone number (Cell Phone)"). Pure: no keys, no
 * database, so the preview step runs the very same code.
 */
import type { CountryCode } from "libphonenumber-js";
import { normalizeEmail } from "@/lib/crypto/blind-index";
import { normalizePhone } from "@/lib/leads/phone";
import { cleanCell, cleanMultilineCell } from "./clean-cell";
import type { ColumnPlan } from "./column-plan";
import { FIELD_MAX_LENGTH } from "./import-limits";
import type { CsvRow } from "./parse-csv";
import { parseActivityDate } from "./parse-activity-date";
import { parseConsent, parseDoNotText, type ConsentValue } from "./parse-consent";
import { splitFullName } from "./split-full-name";
import { normalizeModelYear, splitVehicle } from "./split-vehicle";

/** A lead read from the file, before encryption. Strings are cleaned and non-empty, or null. */
export interface PreparedLead {
  rowNumber: number;
  /** E.164. */
  phone: string;
  /**
   * The lead's record id in the CRM the file came from (personal data: stored in the record
   * envelope). Optional only for leads rebuilt from stored rows by code that predates it.
   */
  crmId?: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  vehicleYear: string | null;
  vehicleMake: string | null;
  vehicleModel: string | null;
  vehicleTrim: string | null;
  vehicleVin: string | null;
  notes: string | null;
  lastActivityAt: Date | null;
  /** As written in the file; matched to a team member when the leads are written. */
  salesperson: string | null;
  source: string | null;
  consent: "opted_in" | "opted_out" | null;
}

export type RowOutcome = { ok: true; lead: PreparedLead; warnings: string[] } | { ok: false; reason: string };

export interface PrepareOptions {
  /** The dealership's default region for numbers written without a country code. */
  defaultRegion: CountryCode;
  /** "Now" for judging dates (tests pin it). */
  now?: Date;
}

type CappedField = keyof typeof FIELD_MAX_LENGTH;

function capped(
  value: string,
  field: CappedField,
  rowNumber: number,
  label: string,
  warnings: string[],
): string | null {
  if (value === "") return null;
  const max = FIELD_MAX_LENGTH[field];
  if (value.length <= max) return value;
  warnings.push(`row ${rowNumber}: ${label} was longer than ${max.toLocaleString("en-US")} characters and was cut`);
  return value.slice(0, max).trim();
}

function pickPhone(
  row: CsvRow,
  plan: ColumnPlan,
  region: CountryCode,
): { ok: true; e164: string } | { ok: false; reason: string } {
  let firstFailure: string | null = null;
  for (const col of plan.phones) {
    const raw = cleanCell(row.cells[col]);
    if (raw === "") continue;
    const result = normalizePhone(raw, region);
    if (result.ok) return result;
    firstFailure ??= `${result.reason} (${plan.headers[col]})`;
  }
  return { ok: false, reason: firstFailure ?? "no phone number" };
}

/** Validates and normalizes one data row according to the column plan. */
export function prepareRow(row: CsvRow, plan: ColumnPlan, opts: PrepareOptions): RowOutcome {
  const n = row.rowNumber;
  if (row.extraCells > 0) {
    return {
      ok: false,
      reason: `row ${n}: has more values than the header has columns (a value with an unquoted delimiter?)`,
    };
  }
  const phone = pickPhone(row, plan, opts.defaultRegion);
  if (!phone.ok) return { ok: false, reason: `row ${n}: ${phone.reason}` };

  const warnings: string[] = [];
  const s = plan.single;
  const cell = (col: number | undefined) => (col === undefined ? "" : cleanCell(row.cells[col]));

  // An id cut short would name another record (or none): too long, it is left out, with a warning.
  let crmId: string | null = cell(s.crmId) || null;
  if (crmId !== null && crmId.length > FIELD_MAX_LENGTH.crmId) {
    warnings.push(
      `row ${n}: the CRM id was longer than ${FIELD_MAX_LENGTH.crmId} characters; the lead was imported without it`,
    );
    crmId = null;
  }

  let firstName = capped(cell(s.firstName), "firstName", n, "First name", warnings);
  let lastName = capped(cell(s.lastName), "lastName", n, "Last name", warnings);
  if (firstName === null && lastName === null && s.fullName !== undefined) {
    const split = splitFullName(cell(s.fullName));
    firstName = split.firstName && capped(split.firstName, "firstName", n, "First name", warnings);
    lastName = split.lastName && capped(split.lastName, "lastName", n, "Last name", warnings);
  }

  let email: string | null = null;
  const rawEmail = cell(s.email);
  if (rawEmail !== "") {
    email = normalizeEmail(rawEmail);
    if (email === null) warnings.push(`row ${n}: the email address is not valid; the lead was imported without it`);
  }

  const rawYear = cell(s.vehicleYear);
  let vehicleYear =
    rawYear === ""
      ? null
      : (normalizeModelYear(rawYear) ?? capped(rawYear, "vehicleYear", n, "Vehicle year", warnings));
  let vehicleMake = capped(cell(s.vehicleMake), "vehicleMake", n, "Make", warnings);
  let vehicleModel = capped(cell(s.vehicleModel), "vehicleModel", n, "Model", warnings);
  let vehicleTrim = capped(cell(s.vehicleTrim), "vehicleTrim", n, "Trim", warnings);
  const vehicleText = cell(s.vehicle);
  if (vehicleText !== "") {
    const v = splitVehicle(vehicleText);
    vehicleYear ??= v.year;
    vehicleMake ??= v.make && capped(v.make, "vehicleMake", n, "Make", warnings);
    vehicleModel ??= v.model && capped(v.model, "vehicleModel", n, "Model", warnings);
    vehicleTrim ??= v.trim && capped(v.trim, "vehicleTrim", n, "Trim", warnings);
  }
  const vin = cell(s.vehicleVin).replace(/[\s-]/g, "").toUpperCase();
  const vehicleVin = capped(vin, "vehicleVin", n, "VIN", warnings);

  const noteParts: string[] = [];
  for (const col of plan.notes) {
    const note = cleanMultilineCell(row.cells[col]);
    if (note !== "") noteParts.push(note);
  }
  const notes = capped(noteParts.join(" | "), "notes", n, "Notes", warnings);

  let lastActivityAt: Date | null = null;
  const rawDate = cell(s.lastActivityAt);
  if (rawDate !== "") {
    lastActivityAt = parseActivityDate(rawDate, opts.now);
    if (lastActivityAt === null) warnings.push(`row ${n}: the last activity date could not be read; it was left empty`);
  }

  let consent: ConsentValue = s.consent === undefined ? null : parseConsent(cell(s.consent));
  if (consent === "unrecognized") {
    warnings.push(`row ${n}: the consent value could not be read; consent was left unknown`);
    consent = null;
  }
  const dnt = s.doNotText === undefined ? null : parseDoNotText(cell(s.doNotText));
  if (dnt === "unrecognized") warnings.push(`row ${n}: the do-not-text value could not be read; it was ignored`);
  else if (dnt === "opted_out") consent = "opted_out";

  return {
    ok: true,
    warnings,
    lead: {
      rowNumber: n,
      phone: phone.e164,
      crmId,
      firstName,
      lastName,
      email,
      vehicleYear,
      vehicleMake,
      vehicleModel,
      vehicleTrim,
      vehicleVin,
      notes,
      lastActivityAt,
      salesperson: capped(cell(s.salesperson), "salesperson", n, "Salesperson", warnings),
      source: capped(cell(s.source), "source", n, "Lead source", warnings),
      consent,
    },
  };
}
