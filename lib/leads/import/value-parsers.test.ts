/** The small value parsers: names, vehicles, dates, consent, cell clean-up. */
import { describe, expect, it } from "vitest";
import { cleanCell, cleanMultilineCell } from "./clean-cell";
import { parseActivityDate } from "./parse-activity-date";
import { parseConsent, parseDoNotText } from "./parse-consent";
import { splitFullName } from "./split-full-name";
import { normalizeModelYear, splitVehicle } from "./split-vehicle";

const NOW = new Date("2026-11-23T12:00:00Z");

describe("splitFullName", () => {
  it.each([
    ["Ann Lee", ["Ann", "Lee"]],
    ["Lee, Ann Marie", ["Ann Marie", "Lee"]],
    ["Smith, Jr", ["Smith", "Jr"]],
    ["Dr. Ann Lee", ["Ann", "Lee"]],
    ["John Smith Jr.", ["John", "Smith Jr."]],
    ["Ludwig van Beethoven", ["Ludwig", "van Beethoven"]],
    ["Cher", ["Cher", null]],
    ["  ", [null, null]],
  ])("%j", (full, [first, last]) => {
    expect(splitFullName(full)).toEqual({ firstName: first, lastName: last });
  });
});

describe("splitVehicle", () => {
  it.each([
    ["2019 Honda Civic EX", { year: "2019", make: "Honda", model: "Civic", trim: "EX" }],
    ["Land Rover Range Rover Sport 2021", { year: "2021", make: "Land Rover", model: "Range Rover", trim: "Sport" }],
    [
      "'18 Jeep Grand Cherokee Limited 4x4",
      { year: "2018", make: "Jeep", model: "Grand Cherokee", trim: "Limited 4x4" },
    ],
    ["Tesla", { year: null, make: "Tesla", model: null, trim: null }],
    ["2020", { year: "2020", make: null, model: null, trim: null }],
  ])("%j", (text, expected) => {
    expect(splitVehicle(text)).toEqual(expected);
  });

  it("normalizes model years", () => {
    expect(normalizeModelYear("2019")).toBe("2019");
    expect(normalizeModelYear("'99")).toBe("1999");
    expect(normalizeModelYear("1850")).toBeNull();
    expect(normalizeModelYear("MY19")).toBeNull();
  });
});

describe("parseActivityDate", () => {
  it.each([
    ["2023-03-14", "2023-03-14T00:00:00.000Z"],
    ["2023-03-14 15:02", "2023-03-14T15:02:00.000Z"],
    ["2023-03-14T15:02:00-05:00", "2023-03-14T20:02:00.000Z"],
    ["3/14/2023", "2023-03-14T00:00:00.000Z"],
    ["03-14-23 2:15 PM", "2023-03-14T14:15:00.000Z"],
    ["12/1/2022 12:05 am", "2022-12-01T00:05:00.000Z"],
    ["14/03/2023", "2023-03-14T00:00:00.000Z"],
    ["Mar 14, 2023", "2023-03-14T00:00:00.000Z"],
    ["44999", "2023-03-14T00:00:00.000Z"],
  ])("%j", (text, iso) => {
    expect(parseActivityDate(text, NOW)?.toISOString()).toBe(iso);
  });

  it.each(["", "soon", "2/30/2023", "13/13/2023", "1/1/1850", "1/1/2030", "2023-02-30"])("refuses %j", (text) => {
    expect(parseActivityDate(text, NOW)).toBeNull();
  });
});

describe("consent cells", () => {
  it.each([
    ["Yes", "opted_in"],
    ["TRUE", "opted_in"],
    ["opted in", "opted_in"],
    ["Opt-In", "opted_in"],
    ["1", "opted_in"],
    ["No", "opted_out"],
    ["false", "opted_out"],
    ["Opted Out", "opted_out"],
    ["STOP", "opted_out"],
    ["0", "opted_out"],
    ["", null],
    ["unknown", null],
    ["N/A", null],
    ["perhaps", "unrecognized"],
  ])("consent %j → %s", (cell, expected) => {
    expect(parseConsent(cell)).toBe(expected);
  });

  it.each([
    ["Y", "opted_out"],
    ["Yes", "opted_out"],
    ["X", "opted_out"],
    ["true", "opted_out"],
    ["DNC", "opted_out"],
    ["N", null],
    ["No", null],
    ["", null],
    ["opted in", null],
    ["perhaps", "unrecognized"],
  ])("do not text %j → %s", (cell, expected) => {
    expect(parseDoNotText(cell)).toBe(expected);
  });
});

describe("cleanCell", () => {
  it("leaves ordinary text alone, HTML and formulas included", () => {
    for (const v of ["Ann", "<b>Ann</b>", "=1+1", "+1 (312) 555-0100", "@handle", "-5", "Zoë 東京 🚗"])
      expect(cleanCell(v)).toBe(v);
  });

  it("removes controls, zero-width and bidi characters, collapses whitespace", () => {
    expect(cleanCell(" a\u0000b\u0008c \u200b\u202ed\ufeff \t\r\n e ")).toBe("abc d e");
    expect(cleanCell(undefined)).toBe("");
  });

  it("keeps line structure in notes only as single spaces", () => {
    expect(cleanMultilineCell("one\r\n\r\ntwo\tthree\u0007")).toBe("one two three");
  });
});
