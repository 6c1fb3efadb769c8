/** Every bad or unusual input the import must handle, checked through the same reader the import uses. */
import { describe, expect, it } from "vitest";
import { ImportFileError } from "./import-error";
import { previewCsvImport } from "./preview-import";
import { readCsvFile } from "./read-csv-file";
import { buildRejectsCsv } from "./rejects-csv";
import { suggestMapping } from "./suggest-mapping";

const bytes = (s: string) => new TextEncoder().encode(s);

function problemOf(input: Uint8Array): string {
  try {
    readCsvFile(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ImportFileError);
    return (err as ImportFileError).problem;
  }
  return "accepted";
}

describe("files refused by content, not by extension", () => {
  it.each([
    ["xlsx / zip", [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]],
    ["pdf", [...bytes("%PDF-1.7\n%âãÏÓ\n1 0 obj")]],
    ["png", [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]],
    ["jpeg", [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]],
    ["binary with NUL bytes", [...bytes("Phone,Name\n312"), 0, 0, 0, 1, 2, 3]],
  ])("%s", (_name, content) => {
    expect(problemOf(new Uint8Array(content as number[]))).toBe("not_csv");
  });

  it("an empty file", () => expect(problemOf(new Uint8Array())).toBe("empty"));
  it("a header-only file", () => expect(problemOf(bytes("First Name,Cell Phone\r\n"))).toBe("header_only"));
});

describe("CSV dialects", () => {
  it("detects semicolons and tabs", () => {
    expect(readCsvFile(bytes("Name;Phone\nAnn;3125550100\n")).delimiter).toBe(";");
    expect(readCsvFile(bytes("Name\tPhone\nAnn\t3125550100\n")).delimiter).toBe("\t");
  });

  it("keeps quoted newlines inside one cell", () => {
    const file = readCsvFile(bytes('Name,Phone,Notes\nAnn,3125550100,"line one\nline two"\nBob,3125550101,\n'));
    expect(file.rows).toHaveLength(2);
    expect(file.rows[0]!.cells[2]).toContain("line two");
  });

  it("strips a UTF-8 BOM from the first header", () => {
    expect(readCsvFile(bytes("\uFEFFFirst Name,Phone\nAnn,3125550100\n")).headers[0]).toBe("First Name");
  });

  it("reads Windows-1252 text", () => {
    const cp1252 = new Uint8Array([...bytes("Name,Phone\nRen"), 0xe9, ...bytes(",3125550100\n")]);
    const file = readCsvFile(cp1252);
    expect(file.encoding).toBe("windows-1252");
    expect(file.rows[0]!.cells[0]).toBe("René");
  });

  it("names duplicate and blank headers", () => {
    const { headers } = readCsvFile(bytes("Phone,Phone,,Name\n3125550100,3125550101,x,Ann\n"));
    expect(new Set(headers).size).toBe(4);
    expect(headers.every((h) => h.trim().length > 0)).toBe(true);
  });
});

describe("row checks", () => {
  const csv = [
    "First Name,Last Name,Cell Phone,Email Address,Notes",
    'Eve,"<script>alert(1)</script>",(312) 555-0100,eve@example.com,"=HYPERLINK(""http://x"")"',
    "Bad,Phone,555-12,bad@example.com,",
    "Ctl,Char\u0007s,312-555-0101,,\u0001hidden\u001b",
  ].join("\n");

  it("keeps formula-looking and HTML cells as plain text, strips control characters, gives reasons", () => {
    const preview = previewCsvImport(bytes(csv), { defaultRegion: "US" });
    const [eve, bad, ctl] = preview.rows;
    expect(eve!.lead).toMatchObject({
      lastName: "<script>alert(1)</script>",
      notes: '=HYPERLINK("http://x")',
      phone: "+13125550100",
    });
    expect(bad!.lead).toBeNull();
    expect(bad!.problems.join()).toMatch(/row 3: .*(digits|valid)/);
    expect(ctl!.lead?.lastName).toBe("Chars");
    expect(ctl!.lead?.notes ?? "").not.toMatch(/[\u0000-\u001f]/);
  });

  it("refuses a mapping without a phone column with a clear message", () => {
    const preview = previewCsvImport(bytes(csv), { mapping: { "First Name": "firstName" } });
    expect(preview.mappingError).toMatch(/phone/i);
  });

  it("neutralizes formulas in the rejects download", () => {
    const out = buildRejectsCsv(
      ["Name", "Phone"],
      [{ rowNumber: 2, reason: "row 2: bad", cells: ["=cmd|' /C calc'!A0", "+1"] }],
    );
    expect(out).toContain("'=cmd");
    expect(out).toContain("'+1");
    expect(out).toMatch(/reason/);
  });
});

describe("mapping recognition", () => {
  it.each([
    [
      ["First Name", "Last Name", "Cell Phone", "Email Address"],
      { "First Name": "firstName", "Last Name": "lastName", "Cell Phone": "mobilePhone", "Email Address": "email" },
    ],
    [
      ["FName", "LName", "Mobile", "Home Phone", "Work Phone"],
      {
        FName: "firstName",
        LName: "lastName",
        Mobile: "mobilePhone",
        "Home Phone": "homePhone",
        "Work Phone": "workPhone",
      },
    ],
    [
      ["Year", "Make", "Model", "VIN", "Vehicle"],
      { Year: "vehicleYear", Make: "vehicleMake", Model: "vehicleModel", VIN: "vehicleVin", Vehicle: "vehicle" },
    ],
    [
      ["Last Visit", "Salesperson", "Lead Source", "Notes"],
      { "Last Visit": "lastActivityAt", Salesperson: "salesperson", "Lead Source": "source", Notes: "notes" },
    ],
  ])("%j", (headers, expected) => {
    expect(suggestMapping(headers)).toMatchObject(expected);
  });
});
