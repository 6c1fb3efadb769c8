/** CSV parsing: dialects, quoting, awkward headers, row numbers and limits. */
import { describe, expect, it } from "vitest";
import { ImportFileError } from "./import-error";
import { MAX_IMPORT_COLUMNS, MAX_IMPORT_ROWS } from "./import-limits";
import { detectDelimiter, parseCsvText, uniqueHeaders } from "./parse-csv";

function problemOf(text: string): string {
  try {
    parseCsvText(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ImportFileError);
    return (err as ImportFileError).problem;
  }
  return "accepted";
}

describe("detectDelimiter", () => {
  it.each([
    ["comma", "First Name,Last Name,Phone\nAnn,Lee,3125550100\n", ","],
    ["semicolon", "First Name;Last Name;Phone\nAnn;Lee;3125550100\n", ";"],
    ["tab", "First Name\tLast Name\tPhone\nAnn\tLee\t3125550100\n", "\t"],
    ["pipe", "First Name|Last Name|Phone\nAnn|Lee|3125550100\n", "|"],
    ["semicolon with commas in values", 'Name;Phone;Notes\nLee, Ann;3125550100;"called, no answer, twice"\n', ";"],
    ["comma with semicolons in notes", "Name,Phone,Notes\nAnn,3125550100,a;b;c;d;e\nBob,3125550101,x\n", ","],
    ["one column", "Phone\n3125550100\n3125550101\n", ","],
  ])("%s", (_label, text, expected) => {
    expect(detectDelimiter(text)).toBe(expected);
  });
});

describe("uniqueHeaders", () => {
  it("names blank headers by position and numbers repeats", () => {
    expect(uniqueHeaders(["Phone", "phone", "", "  ", "Phone", "Notes", "Column 3"])).toEqual([
      "Phone",
      "phone (2)",
      "Column 3",
      "Column 4",
      "Phone (3)",
      "Notes",
      "Column 3 (2)",
    ]);
  });

  it("cleans control characters and whitespace out of headers", () => {
    expect(uniqueHeaders(["\u0007First\tName ", "\u200bEmail"])).toEqual(["First Name", "Email"]);
  });
});

describe("parseCsvText", () => {
  it("keeps quoted newlines, doubled quotes and delimiters inside one cell", () => {
    const parsed = parseCsvText(
      'Name,Phone,Notes\r\n"Lee, Ann",3125550100,"said ""call me""\r\nafter 5"\r\nBob,3125550101,\r\n',
    );
    expect(parsed.rows).toHaveLength(2);
    expect(parsed.rows[0]!.cells).toEqual(["Lee, Ann", "3125550100", 'said "call me"\r\nafter 5']);
  });

  it("numbers rows as a spreadsheet does: header is row 1, blank lines count, quoted newlines do not", () => {
    const parsed = parseCsvText('Name,Phone\nAnn,1\n\n"Bo\nb",2\n,\nCy,3\n');
    expect(parsed.rows.map((r) => [r.rowNumber, r.cells[0]])).toEqual([
      [2, "Ann"],
      [4, "Bo\nb"],
      [6, "Cy"],
    ]);
  });

  it("skips blank lines before the header", () => {
    expect(parseCsvText("\n\n  \nPhone\n1\n").headers).toEqual(["Phone"]);
  });

  it("pads short rows and flags long rows that have extra values", () => {
    const parsed = parseCsvText("A,B,C\n1\n1,2,3,,\n1,2,3,4\n");
    expect(parsed.rows.map((r) => [r.cells, r.extraCells])).toEqual([
      [["1", "", ""], 0],
      [["1", "2", "3"], 0],
      [["1", "2", "3"], 1],
    ]);
  });

  it("refuses a header-only file and an empty one", () => {
    expect(problemOf("First Name,Cell Phone\r\n")).toBe("header_only");
    expect(problemOf("First Name,Cell Phone\r\n,\r\n\r\n")).toBe("header_only");
    expect(problemOf("\n\n")).toBe("empty");
  });

  it("refuses a quote that is never closed, naming the row", () => {
    const err = (() => {
      try {
        parseCsvText('Name,Phone\nAnn,1\n"Bob,2\nCy,3\n');
      } catch (e) {
        return e as ImportFileError;
      }
    })();
    expect(err?.problem).toBe("unclosed_quote");
    expect(err?.message).toMatch(/row 3/);
  });

  it("refuses more rows than the limit, before anything else happens", () => {
    expect(problemOf(`Phone\n${"3125550100\n".repeat(MAX_IMPORT_ROWS)}`)).toBe("accepted");
    expect(problemOf(`Phone\n${"3125550100\n".repeat(MAX_IMPORT_ROWS + 1)}`)).toBe("too_many_rows");
  });

  it("refuses more columns than the limit", () => {
    const header = Array.from({ length: MAX_IMPORT_COLUMNS + 1 }, (_, i) => `c${i}`).join(",");
    expect(problemOf(`${header}\n1\n`)).toBe("too_many_columns");
  });
});
