/**
 * Phone numbers: parsed and validated with libphonenumber-js, stored and matched as E.164.
 */
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };

/** Normalize a raw phone to E.164 using the dealership's default region; invalid ones get a reason. */
export function normalizePhone(raw: string, defaultRegion: CountryCode = "US"): PhoneResult {
  const trimmed = raw.trim();
  if (!trimmed) return { ok: false, reason: "missing phone number" };
  if (trimmed.replace(/\D/g, "").length < 7) return { ok: false, reason: "too few digits for a phone number" };
  const parsed = parsePhoneNumberFromString(trimmed, { defaultCountry: defaultRegion, extract: false });
  if (!parsed) return { ok: false, reason: "not a phone number" };
  if (!parsed.isValid()) return { ok: false, reason: `not a valid ${parsed.country ?? defaultRegion} phone number` };
  return { ok: true, e164: parsed.number };
}

/** The last four digits, for display where the full number is not needed (logs never get more). */
export function maskPhone(e164: string): string {
  return `…${e164.slice(-4)}`;
}

/** A stored E.164 number formatted for people: national format at home, international abroad. */
export function formatPhoneForDisplay(e164: string | null | undefined, homeRegion: CountryCode = "US"): string {
  if (!e164) return "";
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === homeRegion ? parsed.formatNational() : parsed.formatInternational();
}
