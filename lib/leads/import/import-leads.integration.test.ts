/**
 * importLeadsFromCsv end to end against the real test database, under RLS, through withUser as
 * the UI runs it: every field stored encrypted and readable back, gap-filling of known leads,
 * consent and do-not-contact rules, duplicates across batches, the worker-thread path, atomic
 * failure, tenant isolation, and no plaintext anywhere in the raw tables.
 */
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blindIndex, normalizeNameForIndex } from "@/lib/crypto/blind-index";
import { countAudience } from "@/lib/campaigns/audience";
import { withAccount, withUser } from "@/lib/db/scope";
import { addToDoNotContact } from "@/lib/leads/do-not-contact";
import { decryptLeadPii, type EncryptedLeadRow } from "@/lib/leads/lead-fields";
import { leadFiltersSchema, leadFiltersToQuery } from "@/lib/leads/lead-filters.schema";
import { findLeadsPage } from "@/lib/leads/lead-search";
import { findOrCreateLeadSources, listLeadSources, sourceLabelOf } from "@/lib/leads/lead-sources";
import { adminSql, createDealership, createLead, createMember, type TestMember } from "@/local-stack/test-fixtures";
import { LeadImportFailedError } from "./import-error";
import { NOT_LARGE_FILE_ROWS } from "./testing/large-file-dealership";
import { importLeadsFromCsv, type ImportLeadsInput } from "./import-leads";
import { listLeadImports } from "./import-records";
import { findSavedMapping } from "./saved-mappings";
import { suggestMapping } from "./suggest-mapping";

let sql: Sql;
let dealershipA: string;
let dealershipB: string;
let ownerA: TestMember;
let managerA: TestMember;
let repA: TestMember;
let salesA: TestMember; // display name "Dana Whitfield"
let ownerB: TestMember;

const HEADERS = [
  "Customer ID",
  "First Name",
  "Last Name",
  "Cell Phone",
  "Home Phone",
  "Email Address",
  "Year",
  "Make",
  "Model",
  "Trim",
  "VIN",
  "Last Visit",
  "Salesperson",
  "Lead Source",
  "Notes",
  "SMS Opt-In",
];
const MAPPING = suggestMapping(HEADERS);

/** CSV bytes from rows of cells (quoted as needed). */
function csvOf(rows: string[][], headers: string[] = HEADERS): Uint8Array {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return new TextEncoder().encode([headers, ...rows].map((r) => r.map(cell).join(",")).join("\r\n"));
}
/** One row in HEADERS order. */
function rowOf(o: Partial<Record<(typeof HEADERS)[number], string>>): string[] {
  return HEADERS.map((h) => o[h] ?? "");
}

function importAs(member: TestMember, dealershipId: string, bytes: Uint8Array, extra: Partial<ImportLeadsInput> = {}) {
  return importLeadsFromCsv({
    run: (fn) => withUser(member.claims, dealershipId, fn),
    source: bytes,
    fileName: "marchbanks-quintessa-export.csv",
    mapping: MAPPING,
    ...extra,
    options: { workers: 0, ...extra.options },
  });
}

/** A leads row as the superuser reads it (`select *`). */
type RawLead = EncryptedLeadRow & Record<string, unknown>;

async function leadsOf(dealershipId: string) {
  return sql<RawLead[]>`select * from public.leads where dealership_id = ${dealershipId} order by id`;
}
async function leadByPhone(dealershipId: string, e164: string) {
  const [row] = await sql<
    RawLead[]
  >`select * from public.leads where dealership_id = ${dealershipId} and phone_bidx = ${blindIndex("phone", e164, dealershipId)}`;
  return row ? { row, pii: decryptLeadPii(row) } : null;
}

beforeAll(async () => {
  sql = adminSql();
  dealershipA = await createDealership(sql, "Import Motors");
  dealershipB = await createDealership(sql, "Other Auto");
  ownerA = await createMember(sql, dealershipA, "owner");
  managerA = await createMember(sql, dealershipA, "manager");
  repA = await createMember(sql, dealershipA, "rep");
  salesA = await createMember(sql, dealershipA, "rep", "dana");
  await sql`update auth.users set raw_user_meta_data = '{"display_name":"Dana Whitfield"}'::jsonb where id = ${salesA.userId}`;
  ownerB = await createMember(sql, dealershipB, "owner");
});

afterAll(async () => {
  await sql?.end();
});

describe("a first import", () => {
  const FILE = csvOf([
    rowOf({
      "Customer ID": "VS-QM-40417",
      "First Name": "Quintessa",
      "Last Name": "Marchbanks",
      "Cell Phone": "(312) 555-0141",
      "Email Address": "Quintessa.M@Example.net",
      Year: "2019",
      Make: "Honda",
      Model: "Odyssey",
      Trim: "Touring",
      VIN: "5FNRL6H97KB012345",
      "Last Visit": "3/14/2023",
      Salesperson: "dana whitfield",
      "Lead Source": "AutoTrader",
      Notes: 'Wants "certified"\npre-owned',
      "SMS Opt-In": "Yes",
    }),
    rowOf({
      "First Name": "Bartholomew",
      "Last Name": "Featherstone",
      "Cell Phone": "",
      "Home Phone": "312.555.0142",
      "SMS Opt-In": "Opted Out",
      Salesperson: "Nobody Known",
    }),
    // A source column holding a person's name, phone and e-mail (seen in a real export).
    rowOf({
      "First Name": '=HYPERLINK("http://x")',
      "Last Name": "<script>alert(1)</script>",
      "Cell Phone": "312-555-0143",
      "Lead Source": "Referral Zebulon Quackenbush 312-555-0199 zq@referrer.example",
    }),
    rowOf({ "First Name": "Invalidia", "Cell Phone": "555-12" }),
    rowOf({ "First Name": "Quintessa", "Cell Phone": "+1 312 555 0141", Notes: "second visit" }), // same phone as row 2
  ]);
  let summary: Awaited<ReturnType<typeof importLeadsFromCsv>>;

  beforeAll(async () => {
    summary = await importAs(ownerA, dealershipA, FILE);
  });

  it("reports what happened to every row", () => {
    expect(summary.counts).toEqual({ total: 5, imported: 3, updated: 0, duplicates: 1, invalid: 1, suppressed: 1 });
    expect(summary.rejected).toEqual([
      {
        rowNumber: 5,
        reason: "row 5: too few digits for a phone number (Cell Phone)",
        cells: expect.arrayContaining(["Invalidia", "555-12"]),
      },
    ]);
    expect(summary.rejectsCsv()).toMatch(/reason\r\n.*Invalidia.*row 5: too few digits/s);
    expect(summary.unmatchedSalespeople).toEqual([{ name: "Nobody Known", leads: 1 }]);
  });

  it("stores every field encrypted, readable back, with blind indexes for search", async () => {
    const q = await leadByPhone(dealershipA, "+13125550141");
    expect(q?.pii).toEqual({
      crmId: "VS-QM-40417",
      firstName: "Quintessa",
      lastName: "Marchbanks",
      phone: "+13125550141",
      email: "quintessa.m@example.net",
      vehicleYear: "2019",
      vehicleMake: "Honda",
      vehicleModel: "Odyssey",
      vehicleTrim: "Touring",
      vehicleVin: "5FNRL6H97KB012345",
      notes: 'Wants "certified" pre-owned',
    });
    expect(q?.row).toMatchObject({
      email_bidx: blindIndex("email", "quintessa.m@example.net", dealershipA),
      full_name_bidx: blindIndex("name", normalizeNameForIndex("Quintessa", "Marchbanks")!, dealershipA),
      consent_status: "opted_in",
      consent_source: "csv_import",
      status: "new",
      assigned_to: salesA.userId,
    });
    const [source] = await sql<
      { id: string; dealership_id: string; label_enc: string | null; system_key: string | null }[]
    >`
      select * from public.lead_sources where id = ${q?.row.source_id as string}`;
    expect(source).toMatchObject({ dealership_id: dealershipA, system_key: null });
    expect(sourceLabelOf(source!)).toBe("AutoTrader");
    expect((q?.row.last_activity_at as Date).toISOString()).toBe("2023-03-14T00:00:00.000Z");
  });

  it("keeps sources as a per-dealership list with opaque ids; a /leads filter URL carries only the id", async () => {
    const sources = await withUser(ownerA.claims, dealershipA, listLeadSources);
    expect(sources.map((x) => x.label).sort()).toEqual([
      "AutoTrader",
      "Referral Zebulon Quackenbush 312-555-0199 zq@referrer.example",
    ]);
    const autoTrader = sources.find((x) => x.label === "AutoTrader")!;
    const filters = leadFiltersSchema.parse({ source: autoTrader.id });
    expect(leadFiltersToQuery(filters)).toBe(`?source=${autoTrader.id}`);
    // A label in the URL is not a filter (and never produced by the form).
    expect(leadFiltersSchema.parse({ source: "AutoTrader" }).source).toBeUndefined();
    const page = await withUser(ownerA.claims, dealershipA, (scope) => findLeadsPage(scope, filters, 50));
    expect(page.leads.map((l) => [l.pii.firstName, l.source])).toEqual([["Quintessa", "AutoTrader"]]);
    // Another dealership sees none of A's sources: no scope in A, and RLS hides them from B's owner.
    await expect(withUser(ownerB.claims, dealershipA, listLeadSources)).rejects.toMatchObject({ code: "forbidden" });
    expect(
      await withAccount(
        ownerB.claims,
        ({ sql: tx }) => tx`select id from public.lead_sources where dealership_id = ${dealershipA}`,
      ),
    ).toEqual([]);
  });

  it("merges the duplicate row into the first one without overwriting it", async () => {
    expect((await leadByPhone(dealershipA, "+13125550141"))?.pii.notes).toBe('Wants "certified" pre-owned');
  });

  it("falls back to the home phone, keeps formula and HTML text verbatim, marks opt-outs", async () => {
    const b = await leadByPhone(dealershipA, "+13125550142");
    expect(b?.row).toMatchObject({ consent_status: "opted_out", status: "opted_out", assigned_to: null });
    const c = await leadByPhone(dealershipA, "+13125550143");
    expect(c?.pii).toMatchObject({ firstName: '=HYPERLINK("http://x")', lastName: "<script>alert(1)</script>" });
  });

  it("records the import, its mapping and an audit event without personal data", async () => {
    const [record] = await withUser(ownerA.claims, dealershipA, (scope) => listLeadImports(scope));
    expect(record).toMatchObject({
      id: summary.importId,
      status: "completed",
      fileName: "marchbanks-quintessa-export.csv",
      createdBy: ownerA.userId,
      error: null,
      counts: summary.counts,
      mapping: MAPPING,
    });
    expect(record?.finishedAt).toBeInstanceOf(Date);
    expect(
      await withUser(managerA.claims, dealershipA, (scope) => findSavedMapping(scope, [...HEADERS].reverse())),
    ).toEqual(MAPPING);
    const [audit] =
      await sql`select actor_user_id, target_id, metadata from public.audit_events where dealership_id = ${dealershipA} and action = 'leads.imported'`;
    expect(audit).toEqual({
      actor_user_id: ownerA.userId,
      target_id: summary.importId,
      metadata: { ...summary.counts },
    });
  });

  it("writes the consent history of consented leads", async () => {
    const events = await sql`select c.status, c.source, c.actor_user_id from public.consent_events c
      join public.leads l on l.id = c.lead_id where c.dealership_id = ${dealershipA} order by c.status`;
    expect(events).toEqual([
      { status: "opted_in", source: "csv_import", actor_user_id: ownerA.userId },
      { status: "opted_out", source: "csv_import", actor_user_id: ownerA.userId },
    ]);
  });

  it("re-importing the same file creates nothing and changes nothing", async () => {
    const before = await leadsOf(dealershipA);
    const again = await importAs(managerA, dealershipA, FILE);
    expect(again.counts).toEqual({ total: 5, imported: 0, updated: 3, duplicates: 1, invalid: 1, suppressed: 1 });
    expect(await leadsOf(dealershipA)).toEqual(before);
  });
});

describe("leads the dealership already has", () => {
  let dealership: string;
  let owner: TestMember;
  beforeAll(async () => {
    dealership = await createDealership(sql, "Known Leads");
    owner = await createMember(sql, dealership, "owner");
  });

  it("only fill their gaps, never overwrite, and an opt-out is never undone", async () => {
    const keep = await createLead(sql, dealership, { phone: "+17735550151", firstName: "Keepername" });
    const walkIn = (await sql.begin((tx) => findOrCreateLeadSources(tx, dealership, ["Walk-in"]))).get("walk-in")!;
    await sql`update public.leads set consent_status = 'opted_out', consent_source = 'sms_stop', source_id = ${walkIn} where id = ${keep}`;
    await createLead(sql, dealership, { phone: "+17735550152", email: "original@example.org", vehicleMake: "Subaru" });
    const summary = await importAs(
      owner,
      dealership,
      csvOf([
        rowOf({
          "First Name": "Renamed",
          "Last Name": "Person",
          "Cell Phone": "773-555-0151",
          "Email Address": "filled@example.org",
          "SMS Opt-In": "Yes",
          "Lead Source": "Web",
        }),
        rowOf({
          "Cell Phone": "773-555-0152",
          "Email Address": "other@example.org",
          Make: "Toyota",
          Model: "Camry",
          Notes: "new note",
        }),
      ]),
    );
    expect(summary.counts).toMatchObject({ imported: 0, updated: 2, suppressed: 1 });
    const a = await leadByPhone(dealership, "+17735550151");
    expect(a?.pii).toMatchObject({ firstName: "Keepername", lastName: null, email: "filled@example.org" });
    expect(a?.row).toMatchObject({
      consent_status: "opted_out",
      consent_source: "sms_stop",
      source_id: walkIn,
      email_bidx: blindIndex("email", "filled@example.org", dealership),
    });
    const b = await leadByPhone(dealership, "+17735550152");
    expect(b?.pii).toMatchObject({
      email: "original@example.org",
      vehicleMake: "Subaru",
      vehicleModel: null,
      notes: "new note",
    });
  });

  it("keep their CRM id; a repeated row of the same file fills one its first row left empty", async () => {
    await createLead(sql, dealership, { phone: "+17735550155", crmId: "OLD-0155-KEEP" });
    const summary = await importAs(
      owner,
      dealership,
      csvOf([
        rowOf({ "Customer ID": "NEW-0155", "Cell Phone": "773-555-0155" }),
        rowOf({ "First Name": "Idless", "Cell Phone": "773-555-0156" }),
        rowOf({ "Customer ID": "DS-0156-XK", "Cell Phone": "(773) 555-0156" }),
      ]),
    );
    expect(summary.counts).toMatchObject({ imported: 1, updated: 1, duplicates: 1 });
    expect((await leadByPhone(dealership, "+17735550155"))?.pii.crmId).toBe("OLD-0155-KEEP");
    expect((await leadByPhone(dealership, "+17735550156"))?.pii).toMatchObject({
      firstName: "Idless",
      crmId: "DS-0156-XK",
    });
  });

  it("without a CRM id get the one a later file gives them", async () => {
    await createLead(sql, dealership, { phone: "+17735550157", firstName: "Noid" });
    const summary = await importAs(
      owner,
      dealership,
      csvOf([rowOf({ "Customer ID": "VS-0157-FILL", "Cell Phone": "773-555-0157" })]),
    );
    expect(summary.counts).toMatchObject({ imported: 0, updated: 1 });
    expect((await leadByPhone(dealership, "+17735550157"))?.pii).toMatchObject({
      firstName: "Noid",
      crmId: "VS-0157-FILL",
    });
  });

  it("on the do-not-contact list are imported and reported as suppressed", async () => {
    const added = await withUser(owner.claims, dealership, (scope) =>
      addToDoNotContact(scope, ["(773) 555-0153", "nope", "773.555.0153"], { source: "manual" }),
    );
    expect(added).toEqual({
      added: 1,
      alreadyListed: 0,
      invalid: [{ index: 1, reason: "too few digits for a phone number" }],
    });
    const summary = await importAs(
      owner,
      dealership,
      csvOf([
        rowOf({ "First Name": "Donotcontact", "Cell Phone": "7735550153" }),
        rowOf({ "Cell Phone": "7735550154" }),
      ]),
    );
    expect(summary.counts).toMatchObject({ imported: 2, suppressed: 1 });
    expect(await leadByPhone(dealership, "+17735550153")).not.toBeNull();
  });

  it("carry the import that created or filled them, which a campaign's audience can pick", async () => {
    await createLead(sql, dealership, { phone: "+17735550161", firstName: "Known" });
    await createLead(sql, dealership, { phone: "+17735550162", firstName: "Complete" });
    await createLead(sql, dealership, { phone: "+17735550163", firstName: "Elsewhere" });
    const file = (extra: string[][] = []) =>
      csvOf([
        rowOf({ "Cell Phone": "773-555-0161", "Email Address": "known@example.org" }), // fills a known lead
        rowOf({ "First Name": "Fresh", "Cell Phone": "773-555-0164" }), // new
        rowOf({ "First Name": "Fresh", "Cell Phone": "773-555-0164", Make: "Kia" }), // merged into the new one
        rowOf({ "First Name": "Other", "Cell Phone": "773-555-0165", "SMS Opt-In": "No" }), // new, opted out
        ...extra,
      ]);
    const first = await importAs(owner, dealership, file(), { options: { batchSize: 2 } });
    expect(first.counts).toMatchObject({ imported: 2, updated: 1, duplicates: 1 });
    const importIdOf = async (e164: string) => (await leadByPhone(dealership, e164))?.row.last_import_id;
    expect(await importIdOf("+17735550161")).toBe(first.importId);
    expect(await importIdOf("+17735550164")).toBe(first.importId);
    expect(await importIdOf("+17735550165")).toBe(first.importId);
    expect(await importIdOf("+17735550163")).toBeNull();

    // The audience filter "leads from this import": the three, one of them left out as opted out.
    const audience = await withUser(owner.claims, dealership, (scope) =>
      countAudience(scope, { importId: first.importId }),
    );
    expect(audience.eligible).toBe(2);
    expect(audience.excluded.opted_out).toBe(1);

    // A later import that only matches leads without filling anything leaves them with the first one.
    const second = await importAs(owner, dealership, file([rowOf({ "Cell Phone": "773-555-0162" })]));
    expect(second.counts).toMatchObject({ imported: 0, updated: 4 });
    expect(await importIdOf("+17735550164")).toBe(first.importId);
    expect(await importIdOf("+17735550162")).toBeNull();
  });
});

describe("batches, threads and concurrency", () => {
  /** 300 rows, every 10th repeating an earlier phone with more data. */
  function bigFile(): Uint8Array {
    const rows: string[][] = [];
    for (let i = 0; i < 300; i++) {
      const n = i % 10 === 9 ? i - 5 : i;
      rows.push(
        rowOf({
          "First Name": `Person${n}`,
          "Cell Phone": `(630) 200-${String(n).padStart(4, "0")}`,
          "Email Address": i === n ? "" : `person${n}@example.com`,
          Make: "Ford",
          "SMS Opt-In": n % 7 === 0 ? "No" : "",
        }),
      );
    }
    return csvOf(rows);
  }

  it("give the same result on worker threads as in-thread, merging duplicates across batches", async () => {
    const inThread = await createDealership(sql, "In Thread");
    const threaded = await createDealership(sql, "Threaded");
    const [o1, o2] = [await createMember(sql, inThread, "owner"), await createMember(sql, threaded, "owner")];
    // Batches of 7 put some duplicates in the same batch as their first row and some in the next.
    const a = await importAs(o1, inThread, bigFile(), { options: { workers: 0, batchSize: 7 } });
    const b = await importAs(o2, threaded, bigFile(), { options: { workers: 1, batchSize: 7 } });
    expect(a.counts).toEqual({ total: 300, imported: 270, updated: 0, duplicates: 30, invalid: 0, suppressed: 39 });
    expect(b.counts).toEqual(a.counts);
    expect([a.encryptionThreads, b.encryptionThreads]).toEqual([0, 1]);
    const plain = async (d: string) =>
      (await leadsOf(d))
        .map((r) => ({ ...decryptLeadPii(r), consent: r.consent_status }))
        .sort((x, y) => x.phone!.localeCompare(y.phone!));
    expect(await plain(threaded)).toEqual(await plain(inThread));
    // Data row 9 repeats data row 4 (same batch) and row 19 repeats row 14 (the batch before): both bring an email.
    expect((await leadByPhone(threaded, "+16302000004"))?.pii.email).toBe("person4@example.com");
    expect((await leadByPhone(threaded, "+16302000014"))?.pii.email).toBe("person14@example.com");
  });

  it("two imports of the same file at once create each lead exactly once", async () => {
    const d = await createDealership(sql, "Race");
    const o = await createMember(sql, d, "owner");
    const m = await createMember(sql, d, "manager");
    const [x, y] = await Promise.all([
      importAs(o, d, bigFile(), { options: { batchSize: 30 } }),
      importAs(m, d, bigFile(), { options: { batchSize: 30 } }),
    ]);
    expect(x.counts.imported + y.counts.imported).toBe(270);
    expect(x.counts.imported + x.counts.updated).toBe(270);
    expect(y.counts.imported + y.counts.updated).toBe(270);
    expect((await leadsOf(d)).length).toBe(270);
  });

  it("new source labels in every batch are created while earlier batches are being written", async () => {
    // Creating a label's lead source runs on the writing connection, between that connection's
    // COPYs of earlier batches: it must wait for them, not interleave (postgres.js refuses a
    // statement during a COPY, which failed the import).
    const d = await createDealership(sql, "Many Sources");
    const o = await createMember(sql, d, "owner");
    const rows = Array.from({ length: 200 }, (_, i) =>
      rowOf({ "Cell Phone": `(630) 400-${String(i).padStart(4, "0")}`, "Lead Source": `Source ${i}` }),
    );
    for (const workers of [0, 1]) {
      const summary = await importAs(o, d, csvOf(rows), { options: { batchSize: 10, workers } });
      expect(summary.counts).toMatchObject({ total: 200, imported: workers ? 0 : 200, updated: workers ? 200 : 0 });
    }
    expect(await withUser(o.claims, d, listLeadSources)).toHaveLength(200);
  });

  it("a lead created between the look-up and the insert is filled instead, and the rest of its batch inserted", async () => {
    const d = await createDealership(sql, "Raced");
    const o = await createMember(sql, d, "owner");
    let runs = 0;
    const summary = await importAs(o, d, bigFile(), {
      run: async (fn) => {
        // Runs: the import record, the writing transaction, then the first batch's look-up. Right
        // after that look-up a reply (say) makes data row 2 a lead, which the look-up did not see.
        const n = ++runs;
        const out = await withUser(o.claims, d, fn);
        if (n === 3) await createLead(sql, d, { phone: "+16302000002", firstName: "Replied" });
        return out;
      },
    });
    expect(summary.counts).toEqual({
      total: 300,
      imported: 269,
      updated: 1,
      duplicates: 30,
      invalid: 0,
      suppressed: 39,
    });
    expect((await leadsOf(d)).length).toBe(270);
    const raced = await leadByPhone(d, "+16302000002");
    expect(raced?.pii).toMatchObject({ firstName: "Replied", vehicleMake: "Ford" });
    expect(raced?.row.last_import_id).toBe(summary.importId);
    expect((await leadByPhone(d, "+16302000003"))?.row.last_import_id).toBe(summary.importId);
  });

  it("plans its statements (and their foreign-key checks) with indexes, afresh, in the writing transaction and the look-ups", async () => {
    // A sequential-scan plan kept from when leads was small turned a 100,000-row import from an
    // emptied table into 170 s instead of 8 (the consent events' foreign-key check scanned the
    // growing table once per consented lead). Checked here: the setting each transaction runs with.
    const d = await createDealership(sql, "Planned");
    const o = await createMember(sql, d, "owner");
    const seen: string[] = [];
    await importAs(o, d, bigFile(), {
      options: { batchSize: 100, leaseRenewMs: 600_000 }, // no lease renewal transactions
      run: (fn) =>
        withUser(o.claims, d, async (scope) => {
          const out = await fn(scope);
          const [row] = await scope.sql<{ s: string }[]>`select current_setting('enable_seqscan') as s`;
          seen.push(row!.s);
          return out;
        }),
    });
    // The import record's transaction plans nothing in bulk; the writing one and every look-up do.
    expect(seen[0]).toBe("on");
    expect(seen.slice(1)).toEqual(seen.slice(1).map(() => "off"));
    expect(seen.length).toBeGreaterThanOrEqual(5); // the record, 3 look-ups, the writing transaction
  });

  it("keeps the first rejected rows for the download and says how many more there were", async () => {
    const d = await createDealership(sql, "Rejects");
    const o = await createMember(sql, d, "owner");
    const rows = Array.from({ length: 40 }, (_, i) =>
      rowOf({ "First Name": `Bad${i}`, "Cell Phone": i % 4 === 0 ? `(630) 300-${String(i).padStart(4, "0")}` : "12" }),
    );
    const summary = await importAs(o, d, csvOf(rows), { options: { maxRejectedRows: 10, batchSize: 7 } });
    expect(summary.counts).toMatchObject({ total: 40, imported: 10, invalid: 30 });
    expect(summary.rejected).toHaveLength(10);
    expect(summary.rejectedNotListed).toBe(20);
    expect(summary.warnings[0]).toMatch(/30 rows were rejected; the rejected-rows download lists the first 10/);
    const csv = summary.rejectsCsv().trimEnd().split("\r\n");
    expect(csv).toHaveLength(1 + 10 + 1);
    expect(csv.at(-1)).toMatch(/30 rows were rejected/);
  });

  it("a failure in a later batch leaves no new lead and a failed import record", async () => {
    const d = await createDealership(sql, "Failing");
    const o = await createMember(sql, d, "owner");
    await createLead(sql, d, { phone: "+16305559999", firstName: "Prior" });
    const before = await leadsOf(d);
    let batches = 0;
    const err = await importAs(o, d, bigFile(), {
      options: { batchSize: 50 },
      onProgress: (p) => {
        if (p.phase === "writing" && ++batches === 3) throw new Error("simulated crash after two batches were written");
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeadImportFailedError);
    expect((err as LeadImportFailedError).message).toMatch(/no leads were changed/);
    expect(await leadsOf(d)).toEqual(before);
    const [record] =
      await sql`select status, error, imported_count, finished_at from public.lead_imports where id = ${(err as LeadImportFailedError).importId}`;
    expect(record).toMatchObject({ status: "failed", imported_count: 0, error: expect.stringMatching(/went wrong/) });
    expect(record?.finished_at).toBeInstanceOf(Date);
    const [audit] =
      await sql`select metadata from public.audit_events where dealership_id = ${d} and action = 'leads.import_failed'`;
    expect(audit?.metadata).toEqual({ code: "internal" });
    expect(await sql`select 1 from public.consent_events where dealership_id = ${d}`).toHaveLength(0);
  });
});

describe("who may import, and who sees it", () => {
  const ONE = csvOf([rowOf({ "First Name": "Zebediah", "Cell Phone": "312-555-0199" })]);

  it("a rep cannot import (and nothing is recorded); a manager can", async () => {
    const before = await sql`select count(*)::int as n from public.lead_imports where dealership_id = ${dealershipA}`;
    await expect(importAs(repA, dealershipA, ONE)).rejects.toMatchObject({ code: "forbidden" });
    expect(await sql`select count(*)::int as n from public.lead_imports where dealership_id = ${dealershipA}`).toEqual(
      before,
    );
    await expect(importAs(managerA, dealershipA, ONE)).resolves.toMatchObject({ counts: { imported: 1 } });
  });

  it("another dealership's owner cannot import into A, nor see A's imports, mappings, history or leads", async () => {
    await expect(importAs(ownerB, dealershipA, ONE)).rejects.toMatchObject({ code: "forbidden" });
    // B's owner gets no scope in A at all; as the authenticated role, RLS shows them none of A's rows.
    await expect(withUser(ownerB.claims, dealershipA, (scope) => listLeadImports(scope))).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(
      withUser(ownerB.claims, dealershipA, (scope) => findSavedMapping(scope, HEADERS)),
    ).rejects.toMatchObject({ code: "forbidden" });
    const seen = await withAccount(ownerB.claims, async ({ sql: tx }) => ({
      imports: (await tx`select id from public.lead_imports where dealership_id = ${dealershipA}`).length,
      mapping:
        (
          await tx<
            { mapping: unknown }[]
          >`select mapping from public.import_mappings where dealership_id = ${dealershipA}`
        )[0]?.mapping ?? null,
      leads: (await tx`select id from public.leads where dealership_id = ${dealershipA}`).length,
      consent: (await tx`select id from public.consent_events where dealership_id = ${dealershipA}`).length,
      dnc: (await tx`select id from public.do_not_contact where dealership_id = ${dealershipA}`).length,
    }));
    expect(seen).toEqual({ imports: 0, mapping: null, leads: 0, consent: 0, dnc: 0 });
  });

  it("a rep sees no import records", async () => {
    expect(await withUser(repA.claims, dealershipA, (scope) => listLeadImports(scope))).toEqual([]);
  });
});

describe("at rest", () => {
  it("no imported plaintext appears in any text column of any table, read raw as the superuser", async () => {
    const secrets = [
      "Quintessa",
      "Marchbanks",
      "Bartholomew",
      "Featherstone",
      "Keepername",
      "Zebediah",
      "Donotcontact",
      "Person12",
      "3125550141",
      "312) 555-0141",
      "555-0142",
      "7735550153",
      "quintessa.m@example.net",
      "filled@example.org",
      "person4@example.com",
      "5FNRL6H97KB012345",
      "Odyssey",
      "certified",
      "marchbanks-quintessa",
      // The CRM's record ids: personal data, only in the record envelope.
      "VS-QM-40417",
      "DS-0156-XK",
      "OLD-0155-KEEP",
      // Lead Source cells: file text, stored only encrypted (lead_sources.label_enc).
      "AutoTrader",
      "Quackenbush",
      "312-555-0199",
      "zq@referrer.example",
    ];
    const columns = await sql`
      select c.table_schema, c.table_name, c.column_name, exists (select 1 from information_schema.columns d
        where d.table_schema = c.table_schema and d.table_name = c.table_name and d.column_name = 'dealership_id') as by_dealership
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
      where c.table_schema in ('public', 'private')`;
    let scanned = 0;
    for (const { table_schema, table_name, column_name, by_dealership } of columns) {
      const rows = await sql.unsafe(
        `select "${column_name}"::text as v from ${table_schema}.${table_name} where "${column_name}" is not null
         ${by_dealership ? `and ${NOT_LARGE_FILE_ROWS}` : ""}`,
      );
      for (const { v } of rows) {
        scanned++;
        for (const s of secrets)
          if (String(v).toLowerCase().includes(s.toLowerCase()))
            throw new Error(`${table_name}.${column_name} holds "${s}"`);
      }
    }
    expect(scanned).toBeGreaterThan(1000);
  });
});
