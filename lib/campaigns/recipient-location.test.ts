import { describe, expect, it } from "vitest";
import { recipientLocation } from "./recipient-location";

describe("recipientLocation", () => {
  it.each([
    ["+12125550101", { kind: "area-code", areaCode: "212", state: "NY", zones: ["America/New_York"] }],
    [
      "+1 (850) 555-0101",
      { kind: "area-code", areaCode: "850", state: "FL", zones: ["America/Chicago", "America/New_York"] },
    ],
    ["+17875550101", { kind: "area-code", areaCode: "787", state: "PR", zones: ["America/Puerto_Rico"] }],
    ["+16715550101", { kind: "area-code", areaCode: "671", state: "GU", zones: ["Pacific/Guam"] }],
    ["+18005550199", { kind: "unknown", reason: "non-geographic" }],
    ["+18885550199", { kind: "unknown", reason: "non-geographic" }],
    ["+19005550199", { kind: "unknown", reason: "non-geographic" }],
    ["+14165550101", { kind: "unknown", reason: "outside-us" }],
    ["+18765550101", { kind: "unknown", reason: "outside-us" }],
    ["+447700900123", { kind: "unknown", reason: "outside-us" }],
    ["+19995550101", { kind: "unknown", reason: "unlisted-area-code" }],
    ["+1212555010", { kind: "unknown", reason: "invalid" }],
    ["not a number", { kind: "unknown", reason: "invalid" }],
    ["", { kind: "unknown", reason: "invalid" }],
  ])("%s", (e164, expected) => {
    expect(recipientLocation(e164)).toEqual(expected);
  });
});
