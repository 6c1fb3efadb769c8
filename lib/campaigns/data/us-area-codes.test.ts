import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { describe, expect, it } from "vitest";
import { isKnownTimeZone } from "../zoned-time";
import { US_AREA_CODES } from "./us-area-codes";

const JURISDICTIONS = new Set(
  "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR VI GU MP AS".split(
    " ",
  ),
);
const US_REGIONS = new Set(["US", "PR", "VI", "GU", "MP", "AS"]);
// Subscriber numbers to probe an area code with: libphonenumber's patterns exclude some exchanges.
const PROBES = [
  "2345678",
  "5551234",
  "8675309",
  "3021234",
  "4561234",
  "7281234",
  "2222222",
  "9876543",
  "6211234",
  "7331234",
  "2581234",
];

describe("US_AREA_CODES", () => {
  it("has a state or territory and at least one known IANA zone for every code", () => {
    for (const [code, info] of Object.entries(US_AREA_CODES)) {
      expect(code, code).toMatch(/^[2-9]\d\d$/);
      expect(JURISDICTIONS.has(info.state), `${code} ${info.state}`).toBe(true);
      expect(info.zones.length, code).toBeGreaterThan(0);
      for (const zone of info.zones) expect(isKnownTimeZone(zone), `${code} ${zone}`).toBe(true);
    }
  });

  it("covers every 50-state and DC jurisdiction", () => {
    const states = new Set<string>(Object.values(US_AREA_CODES).map((i) => i.state));
    for (const s of JURISDICTIONS) expect(states.has(s), s).toBe(true);
  });

  it("knows every geographic US area code that libphonenumber-js knows (refresh the table when this fails)", () => {
    const missing: string[] = [];
    for (let npa = 200; npa <= 999; npa++) {
      for (const probe of PROBES) {
        const parsed = parsePhoneNumberFromString(`+1${npa}${probe}`);
        if (!parsed?.isValid()) continue;
        const type = parsed.getType();
        const geographic = type === "FIXED_LINE" || type === "MOBILE" || type === "FIXED_LINE_OR_MOBILE";
        if (geographic && US_REGIONS.has(parsed.country ?? "") && !US_AREA_CODES[String(npa)])
          missing.push(String(npa));
        break;
      }
    }
    expect(missing).toEqual([]);
  });

  it("lists no Canadian or Caribbean code, nor a toll-free one", () => {
    for (const code of ["204", "416", "604", "876", "809", "242", "800", "888", "833", "900", "500"]) {
      expect(US_AREA_CODES[code], code).toBeUndefined();
    }
  });

  it.each([
    ["208", "ID", ["America/Boise", "America/Denver", "America/Los_Angeles"]],
    ["541", "OR", ["America/Denver", "America/Los_Angeles"]],
    ["850", "FL", ["America/Chicago", "America/New_York"]],
    ["448", "FL", ["America/Chicago", "America/New_York"]],
    ["270", "KY", ["America/Chicago", "America/New_York"]],
    ["812", "IN", ["America/Chicago", "America/New_York"]],
    ["930", "IN", ["America/Chicago", "America/New_York"]],
    ["915", "TX", ["America/Denver"]],
    ["928", "AZ", ["America/Denver", "America/Phoenix"]],
    ["602", "AZ", ["America/Phoenix"]],
    ["689", "FL", ["America/New_York"]],
    ["202", "DC", ["America/New_York"]],
    ["206", "WA", ["America/Los_Angeles"]],
    ["808", "HI", ["Pacific/Honolulu"]],
    ["787", "PR", ["America/Puerto_Rico"]],
    ["684", "AS", ["Pacific/Pago_Pago"]],
  ])("%s is %s in %j", (code, state, zones) => {
    expect(US_AREA_CODES[code]).toEqual({ state, zones });
  });
});
