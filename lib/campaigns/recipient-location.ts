/**
 * Where a recipient probably is, from the area code of the phone number: the only location signal
 * the quiet-hours rules can use before a message is sent. A mobile number keeps its area code when
 * its owner moves, which is why every rule errs on the side of sending later, never earlier.
 */
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { US_AREA_CODES, type UsJurisdiction } from "./data/us-area-codes";

/** Why a number's location is unknown. */
export type UnknownLocationReason =
  /** Not a parseable phone number. */
  | "invalid"
  /** A NANP number outside the US and its territories (Canada, the Caribbean) or any other country. */
  | "outside-us"
  /** Toll-free, premium-rate, personal communications (5XX) and other codes tied to no place. */
  | "non-geographic"
  /** A US geographic code not in data/us-area-codes.ts (e.g. an overlay opened since). */
  | "unlisted-area-code";

/** The recipient's state and zones, or why they are unknown. */
export type RecipientLocation =
  | { kind: "area-code"; areaCode: string; state: UsJurisdiction; zones: readonly string[] }
  | { kind: "unknown"; reason: UnknownLocationReason };

const US_REGIONS = new Set(["US", "PR", "VI", "GU", "MP", "AS"]);

/** The recipient's location from an E.164 number (any formatting libphonenumber-js accepts). */
export function recipientLocation(e164: string): RecipientLocation {
  const parsed = parsePhoneNumberFromString(e164.trim());
  if (!parsed) return { kind: "unknown", reason: "invalid" };
  if (parsed.countryCallingCode !== "1") return { kind: "unknown", reason: "outside-us" };
  const national = String(parsed.nationalNumber);
  if (national.length !== 10) return { kind: "unknown", reason: "invalid" };
  const areaCode = national.slice(0, 3);
  const info = US_AREA_CODES[areaCode];
  if (info) return { kind: "area-code", areaCode, state: info.state, zones: info.zones };
  const region = parsed.country;
  if (region && !US_REGIONS.has(region)) return { kind: "unknown", reason: "outside-us" };
  const type = parsed.getType();
  if (type && type !== "FIXED_LINE" && type !== "MOBILE" && type !== "FIXED_LINE_OR_MOBILE") {
    return { kind: "unknown", reason: "non-geographic" };
  }
  return { kind: "unknown", reason: "unlisted-area-code" };
}
