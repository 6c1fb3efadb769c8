/** Row validation: normalization, clean-up and the reasons a row is refused. */
import { describe, expect, it } from "vitest";
import { planColumns } from "./column-plan";
import { parseCsvText } from "./parse-csv";
import { prepareRow, type PreparedLead, type RowOutcome } from "./prepare-row";
import { suggestMapping } from "./suggest-mapping";

const NOW = new Date("2026-11-23T12:00:00Z");

/** Parses `header\nrow…` with the suggested mapping and prepares every row. */
function prepare(csv: string, region: "US" | "GB" = "US"): RowOutcome[] {
  const parsed = parseCsvText(csv);
  const plan = planColumns(parsed.headers, suggestMapping(parsed.headers));
  return parsed.rows.map((row) => prepareRow(row, plan, { defaultRegion: region, now: NOW }));
}
const lead = (o: RowOutcome): PreparedLead => {
  if (!o.ok) throw new Error(`expected a lead, got: ${o.reason}`);
  return o.lead;
};
const reason = (o: RowOutcome): string => {
  if (o.ok) throw new Error("expected a rejection");
  return o.reason;
};

describe("phones", () => {
  it("normalizes to E.164 with the dealership's region", () => {
    const [us, uk] = prepare("Phone\n(312) 555-0100\n+44 20 7946 0958\n");
    expect(lead(us!).phone).toBe("+13125550100");
    expect(lead(uk!).phone).toBe("+442079460958");
    expect(lead(prepare("Phone\n020 7946 0958\n", "GB")[0]!).phone).toBe("+442079460958");
  });

  it("prefers the cell phone and falls back to the others in order", () => {
    const rows = prepare(
      "Home Phone,Cell Phone,Work Phone\n312-555-0101,312-555-0102,312-555-0103\n312-555-0101,,312-555-0103\n,555-12,312-555-0103\n",
    );
    expect(rows.map((r) => lead(r).phone)).toEqual(["+13125550102", "+13125550101", "+13125550103"]);
  });

  it.each([
    ["Phone\n555-12\n", "row 2: too few digits for a phone number (Phone)"],
    ["Phone\n(312) 155-0100\n", "row 2: not a valid US phone number (Phone)"],
    ["Phone\nnot a number\n", "row 2: too few digits for a phone number (Phone)"],
    ["Name,Phone\nAnn,\n", "row 2: no phone number"],
    ["Cell Phone,Home Phone\n123,(312) 155-0100\n", "row 2: too few digits for a phone number (Cell Phone)"],
  ])("refuses %j with a reason", (csv, expected) => {
    expect(reason(prepare(csv)[0]!)).toBe(expected);
  });

  it("refuses a row with more values than the header has columns", () => {
    expect(reason(prepare("Name,Phone\nLee, Ann,3125550100\n")[0]!)).toMatch(/^row 2: has more values than the header/);
  });
});

describe("text values", () => {
  it("keeps formula-looking cells and HTML verbatim (stored encrypted, shown as text)", () => {
    const l = lead(
      prepare(
        'First Name,Last Name,Phone,Notes\n=cmd|\' /C calc\'!A0,"<img src=x onerror=alert(1)>",3125550100,"@SUM(1+1) -2 +3"\n',
      )[0]!,
    );
    expect(l.firstName).toBe("=cmd|' /C calc'!A0");
    expect(l.lastName).toBe("<img src=x onerror=alert(1)>");
    expect(l.notes).toBe("@SUM(1+1) -2 +3");
  });

  it("strips control characters and invisible direction overrides, collapsing whitespace", () => {
    const l = lead(
      prepare('First Name,Last Name,Phone\n" Jo\u0000hn\u0007 ","Sm\u202eith\u200b  Jr",3125550100\n')[0]!,
    );
    expect(l.firstName).toBe("John");
    expect(l.lastName).toBe("Smith Jr");
  });

  it("turns line breaks and tabs in notes into spaces and joins several notes columns", () => {
    const l = lead(prepare('Phone,Notes,Comments\n3125550100,"line one\r\n\tline two","\u0001second"\n')[0]!);
    expect(l.notes).toBe("line one line two | second");
  });

  it("lower-cases valid emails and drops invalid ones with a warning", () => {
    const [ok, bad] = prepare("Phone,Email\n3125550100, Ann.Lee@Example.COM \n3125550101,ann at example\n");
    expect(lead(ok!).email).toBe("ann.lee@example.com");
    expect(bad).toMatchObject({
      ok: true,
      lead: { email: null },
      warnings: ["row 3: the email address is not valid; the lead was imported without it"],
    });
  });

  it("cuts over-long values with a warning", () => {
    const out = prepare(`Phone,First Name,Notes\n3125550100,${"x".repeat(150)},${"y".repeat(5000)}\n`)[0]!;
    expect(lead(out).firstName).toHaveLength(100);
    expect(lead(out).notes).toHaveLength(4000);
    expect(out.ok && out.warnings).toHaveLength(2);
  });

  it("keeps the CRM id cleaned and trimmed, and leaves out an over-long one with a warning (never cut)", () => {
    const [a, b, c] = prepare(
      `Customer ID,Phone\n" DS-00 \u0000184\u200b ",3125550100\n,3125550101\n${"9".repeat(101)},3125550102\n`,
    );
    expect(lead(a!).crmId).toBe("DS-00 184");
    expect(lead(b!).crmId).toBeNull();
    expect(c).toMatchObject({
      ok: true,
      lead: { crmId: null },
      warnings: ["row 4: the CRM id was longer than 100 characters; the lead was imported without it"],
    });
    expect(lead(prepare(`ID,Phone\n${"7".repeat(100)},3125550100\n`)[0]!).crmId).toHaveLength(100);
  });

  it("splits a full name only when first and last are not given", () => {
    const rows = prepare(
      'Customer Name,First Name,Phone\n"Smith, Ann",,3125550100\nMr. Juan de la Cruz,,3125550101\nBob Lee,Robert,3125550102\n',
    );
    expect(rows.map((r) => [lead(r).firstName, lead(r).lastName])).toEqual([
      ["Ann", "Smith"],
      ["Juan", "de la Cruz"],
      ["Robert", null],
    ]);
  });
});

describe("vehicles, dates, people, consent", () => {
  it("takes year, make, model, trim from their columns and fills gaps from a vehicle column", () => {
    const [a, b] = prepare(
      "Phone,Year,Make,Vehicle,VIN\n3125550100,2019,,2018 Honda Civic EX,1hg cm826 33a004352\n3125550101,'21,,,\n",
    );
    expect(lead(a!)).toMatchObject({
      vehicleYear: "2019",
      vehicleMake: "Honda",
      vehicleModel: "Civic",
      vehicleTrim: "EX",
      vehicleVin: "1HGCM82633A004352",
    });
    expect(lead(b!).vehicleYear).toBe("2021");
  });

  it("reads last activity dates, warning about unreadable ones", () => {
    const rows = prepare(
      "Phone,Last Visit\n3125550100,3/14/2023\n3125550101,2023-03-14T15:02:00Z\n3125550102,someday\n3125550103,\n",
    );
    expect(rows.map((r) => lead(r).lastActivityAt?.toISOString() ?? null)).toEqual([
      "2023-03-14T00:00:00.000Z",
      "2023-03-14T15:02:00.000Z",
      null,
      null,
    ]);
    expect(rows[2]!.ok && rows[2]!.warnings[0]).toMatch(/row 4: the last activity date could not be read/);
  });

  it("reads consent and do-not-text columns, an opt-out winning", () => {
    const rows = prepare(
      "Phone,SMS Opt-In,Do Not Text\n3125550100,Yes,\n3125550101,opted out,\n3125550102,Y,Y\n3125550103,,No\n3125550104,maybe,\n",
    );
    expect(rows.map((r) => lead(r).consent)).toEqual(["opted_in", "opted_out", "opted_out", null, null]);
    expect(rows[4]!.ok && rows[4]!.warnings[0]).toMatch(/consent value could not be read/);
  });

  it("keeps the salesperson and source as written", () => {
    expect(lead(prepare("Phone,Sales Rep,Lead Source\n3125550100, Dana  Whitfield ,AutoTrader\n")[0]!)).toMatchObject({
      salesperson: "Dana Whitfield",
      source: "AutoTrader",
    });
  });
});
