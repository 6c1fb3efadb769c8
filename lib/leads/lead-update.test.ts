import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { blindIndex } from "@/lib/crypto/blind-index";
import { encryptField } from "@/lib/crypto/field-cipher";
import { withUser } from "@/lib/db/scope";
import { decryptLeadPii, LEAD_LEGACY_COLUMNS, leadColumnContext } from "./lead-fields";
import { adminSql, createDealership, createLead, createMember, type TestMember } from "@/local-stack/test-fixtures";
import { getLead } from "./lead-queries";
import { findLeadsPage, searchIndexFor, searchLeads } from "./lead-search";
import { assignLead, updateLead } from "./lead-update";
import { leadUpdateSchema } from "./lead-update.schema";

let sql: Sql;
let dealership: string;
let owner: TestMember;
let rep: TestMember;
let otherRep: TestMember;
let leadId: string;
let repsLead: string;
/** The version the edit form was "rendered" with (refreshed before each test). */
let currentVersion = 1;
const versionOf = async (id: string) =>
  (await sql`select version from public.leads where id = ${id}`)[0]!.version as number;

const form = (overrides: Record<string, string> = {}) =>
  leadUpdateSchema.parse({
    leadId,
    firstName: "Dana",
    lastName: "Reyes",
    phone: "(312) 555-0177",
    email: "Dana.Reyes@Example.com",
    vehicleYear: "2020",
    vehicleMake: "Ford",
    vehicleModel: "Escape",
    vehicleTrim: "",
    vehicleVin: "",
    notes: "",
    status: "engaged",
    consentStatus: "unknown",
    version: String(currentVersion),
    ...overrides,
  });

beforeAll(async () => {
  sql = adminSql();
  dealership = await createDealership(sql);
  owner = await createMember(sql, dealership, "owner");
  rep = await createMember(sql, dealership, "rep");
  otherRep = await createMember(sql, dealership, "rep", "other-rep");
  leadId = await createLead(sql, dealership, { phone: "+13125550176", firstName: "Dan" });
  repsLead = await createLead(sql, dealership, { phone: "+13125550178", firstName: "Rita" }, rep.userId);
});

beforeEach(async () => {
  currentVersion = await versionOf(leadId);
});

afterAll(() => sql.end());

describe("updateLead", () => {
  it("re-encrypts, re-indexes and audits field names only", async () => {
    const changed = await withUser(owner.claims, dealership, (scope) => updateLead(scope, form()));
    expect(changed).toEqual(expect.arrayContaining(["firstName", "lastName", "phone", "email", "status"]));
    const lead = await withUser(owner.claims, dealership, (scope) => getLead(scope, leadId));
    expect(lead?.pii).toMatchObject({ firstName: "Dana", phone: "+13125550177", email: "dana.reyes@example.com" });
    const found = await withUser(owner.claims, dealership, (scope) => searchLeads(scope, "dana reyes"));
    expect(found.map((l) => l.id)).toEqual([leadId]);
    const [event] =
      await sql`select metadata from public.audit_events where target_id = ${leadId} and action = 'lead.updated'`;
    expect(JSON.stringify(event!.metadata)).not.toMatch(/Dana|555|example\.com/);
  });

  it("refuses an invalid phone with the reason and changes nothing", async () => {
    const before = await sql`select * from public.leads where id = ${leadId}`;
    await expect(
      withUser(owner.claims, dealership, (scope) => updateLead(scope, form({ phone: "555-12" }))),
    ).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { phone: [expect.stringMatching(/digits|valid/)] },
    });
    expect(await sql`select * from public.leads where id = ${leadId}`).toEqual(before);
  });

  it("refuses a phone another lead already has", async () => {
    await expect(
      withUser(owner.claims, dealership, (scope) => updateLead(scope, form({ phone: "+13125550178" }))),
    ).rejects.toMatchObject({ code: "conflict" });
  });

  it("a rep cannot edit or assign a lead that is not theirs", async () => {
    await expect(
      withUser(otherRep.claims, dealership, (scope) => updateLead(scope, form({ leadId: repsLead, version: "1" }))),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(
      withUser(otherRep.claims, dealership, (scope) => assignLead(scope, repsLead, otherRep.userId)),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(
      withUser(rep.claims, dealership, (scope) => assignLead(scope, repsLead, otherRep.userId)),
    ).rejects.toMatchObject({ code: "42501" });
  });

  it("consent changes by staff land in the consent history", async () => {
    await withUser(owner.claims, dealership, (scope) => updateLead(scope, form({ consentStatus: "opted_out" })));
    const [lead] = await sql`select consent_status, consent_source from public.leads where id = ${leadId}`;
    expect(lead).toEqual({ consent_status: "opted_out", consent_source: "staff edit" });
  });
});

describe("the lead record on edit (issue 14)", () => {
  let d: string;
  let o: TestMember;
  beforeAll(async () => {
    d = await createDealership(sql, "Record Edits");
    o = await createMember(sql, d, "owner");
  });
  const edit = async (id: string, overrides: Record<string, string>) =>
    withUser(o.claims, d, async (scope) =>
      updateLead(
        scope,
        form({ leadId: id, version: String(await versionOf(id)), phone: "(312) 555-0190", ...overrides }),
      ),
    );

  it("a field update re-encrypts the whole record, and converts a lead still stored field by field", async () => {
    const id = randomUUID();
    const legacy = (column: string, value: string) =>
      encryptField(value, leadColumnContext(d, id, column as "phone_enc"));
    await sql`insert into public.leads ${sql({
      id,
      dealership_id: d,
      first_name_enc: legacy("first_name_enc", "Dana"),
      phone_enc: legacy("phone_enc", "+13125550190"),
      notes_enc: legacy("notes_enc", "old note"),
      phone_bidx: blindIndex("phone", "+13125550190", d),
    })}`;
    const changed = await edit(id, { notes: "new note", vehicleVin: "1HGCM82633A004352" });
    expect(changed).toEqual(expect.arrayContaining(["lastName", "notes", "vehicleVin"]));
    const [row] = await sql`select * from public.leads where id = ${id}`;
    expect(row!.pii_enc).toMatch(/^v1\./);
    for (const column of Object.values(LEAD_LEGACY_COLUMNS)) expect(row![column]).toBeNull();
    expect(decryptLeadPii(row as never)).toMatchObject({
      firstName: "Dana",
      lastName: "Reyes",
      phone: "+13125550190",
      notes: "new note",
      vehicleVin: "1HGCM82633A004352",
    });
    const [event] =
      await sql`select metadata from public.audit_events where target_id = ${id} and action = 'lead.updated'`;
    expect(event!.metadata.fields).toMatch(/^details,name,/); // which fields: only as far as the blind indexes tell
  });

  it("keeps the CRM id (not on the form) when the details are edited", async () => {
    const id = await createLead(sql, d, { phone: "+13125550193", firstName: "Kept", crmId: "VS-88120" });
    const changed = await edit(id, { phone: "312-555-0193", firstName: "Kept", notes: "edited" });
    expect(changed).toEqual(expect.arrayContaining(["notes"]));
    expect(changed).not.toContain("crmId");
    const [row] = await sql`select * from public.leads where id = ${id}`;
    expect(decryptLeadPii(row as never)).toMatchObject({ notes: "edited", crmId: "VS-88120" });
  });

  it("a record that will not decrypt is kept by a status-only save, and replaced when the details are edited", async () => {
    const donor = await createLead(sql, d, { phone: "+13125550191", firstName: "Donor" });
    const id = randomUUID();
    const [{ pii_enc: moved }] = (await sql`select pii_enc from public.leads where id = ${donor}`) as unknown as [
      { pii_enc: string },
    ];
    await sql`insert into public.leads ${sql({ id, dealership_id: d, pii_enc: moved, phone_bidx: blindIndex("phone", "+13125550192", d) })}`;
    const blank = { firstName: "", lastName: "", email: "", vehicleYear: "", vehicleMake: "", vehicleModel: "" };
    // The form shows every field empty; saving a status with the lead's own phone keeps the stored record.
    expect(await edit(id, { ...blank, phone: "312-555-0192", status: "lost" })).toEqual(["status"]);
    expect((await sql`select pii_enc from public.leads where id = ${id}`)[0]!.pii_enc).toBe(moved);
    // Typing details replaces the record with exactly what the form holds.
    expect(await edit(id, { ...blank, phone: "312-555-0192", firstName: "Fixed", status: "lost" })).toEqual([
      "firstName",
    ]);
    const [row] = await sql`select * from public.leads where id = ${id}`;
    expect(decryptLeadPii(row as never)).toMatchObject({ firstName: "Fixed", phone: "+13125550192", notes: null });
  });
});

describe("lead search", () => {
  it("routes a term to the right blind index", () => {
    expect(searchIndexFor("Someone@Example.com", dealership, "US")?.column).toBe("email_bidx");
    expect(searchIndexFor("(312) 555-0100", dealership, "US")?.column).toBe("phone_bidx");
    expect(searchIndexFor("Jane Doe", dealership, "US")?.column).toBe("full_name_bidx");
    expect(searchIndexFor("12", dealership, "US")).toBeNull();
  });

  it("filters and paginates on the server, and reps only see their own", async () => {
    const filters = { sort: "activity_desc", page: 1 } as const;
    const all = await withUser(owner.claims, dealership, (scope) => findLeadsPage(scope, filters, 1));
    expect(all.total).toBe(2);
    expect(all.leads).toHaveLength(1);
    const mine = await withUser(rep.claims, dealership, (scope) => findLeadsPage(scope, filters, 50));
    expect(mine.leads.map((l) => l.id)).toEqual([repsLead]);
    const unassigned = await withUser(owner.claims, dealership, (scope) =>
      findLeadsPage(scope, { ...filters, assigned: "none" }, 50),
    );
    expect(unassigned.leads.map((l) => l.id)).toEqual([leadId]);
  });
});
