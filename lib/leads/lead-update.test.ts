import type { Sql } from "postgres";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { withUser } from "@/lib/db/scope";
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
