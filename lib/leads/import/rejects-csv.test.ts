/** The rejects download: original columns plus a reason, formulas neutralized. */
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { buildRejectsCsv } from "./rejects-csv";

describe("buildRejectsCsv", () => {
  const csv = buildRejectsCsv(
    ["First Name", "Phone", "Notes"],
    [
      {
        rowNumber: 3,
        reason: "row 3: too few digits for a phone number (Phone)",
        cells: ['=HYPERLINK("http://evil")', "555-12", "@SUM(A1)"],
      },
      { rowNumber: 7, reason: "row 7: no phone number", cells: ["-2+3", "+1 555", "=cmd\nsecond line"] },
      { rowNumber: 9, reason: "row 9: no phone number", cells: ['Ann, "Jr"', "", "\tTabbed"] },
    ],
  );
  const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;

  it("has the original header plus a reason column, one row per rejected row", () => {
    expect(parsed[0]).toEqual(["First Name", "Phone", "Notes", "reason"]);
    expect(parsed.slice(1).map((r) => r[3])).toEqual([
      "row 3: too few digits for a phone number (Phone)",
      "row 7: no phone number",
      "row 9: no phone number",
    ]);
  });

  it("prefixes cells a spreadsheet would evaluate with a single quote, multi-line ones included", () => {
    expect(parsed[1]!.slice(0, 3)).toEqual(['\'=HYPERLINK("http://evil")', "555-12", "'@SUM(A1)"]);
    expect(parsed[2]!.slice(0, 3)).toEqual(["'-2+3", "'+1 555", "'=cmd\nsecond line"]);
    expect(parsed[3]!.slice(0, 3)).toEqual(['Ann, "Jr"', "", "'\tTabbed"]);
  });

  it("starts with a BOM so Excel reads UTF-8, and uses CRLF", () => {
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv).toContain("\r\n");
  });

  it("does not clash with a file that has its own reason column", () => {
    const out = buildRejectsCsv(
      ["reason", "Phone"],
      [{ rowNumber: 2, reason: "row 2: no phone number", cells: ["lost", ""] }],
    );
    expect(out.split("\r\n")[0]).toBe("\uFEFFreason,Phone,import reason");
  });
});
