/**
 * The outcome export against the real database: a CSV imported with a CRM's own headers comes
 * back with those headers and the outcomes set through the product's own paths (a STOP reply, a
 * reply triaged as wrong number, a confirmed appointment, a campaign send, an assignment); the
 * export is recorded only with data.export and a recent re-authentication; another dealership's
 * leads never appear; formula cells are neutralized while E.164 phones stay usable.
 */
import Papa from "papaparse";
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withUser } from "@/lib/db/scope";
import { addDoNotContact } from "@/local-stack/campaign-fixtures";
import { importLeadsFromCsv } from "@/lib/leads/import/import-leads";
import { suggestMapping } from "@/lib/leads/import/suggest-mapping";
import { decryptLeadPii, type EncryptedLeadRow } from "@/lib/leads/lead-fields";
import { createSendingNumber, seedInboundMessage, testLeadPhone } from "@/lib/sms/testing/messaging-fixtures";
import {
  adminSql,
  createDealership,
  createLead,
  createMember,
  recordRecentAuth,
  type TestMember,
} from "@/local-stack/test-fixtures";
import { listSavedMappings, recordOutcomeExport, streamOutcomeExport } from "./outcome-export";

let sql: Sql;
let dealershipA: string;
let dealershipB: string;
let ownerA: TestMember;
let managerA: TestMember;
let repA: TestMember;
const bMarker = `Bravo${Date.now()}`;

// A CRM report's own column names (nothing like ours, but its record id under a usual header).
const CRM_HEADERS = ["Customer ID", "Given", "Surname", "Mobile #", "E-Mail Addr", "Yr", "Make", "VIN No", "Sales Rep"];
const MAPPING = {
  "Customer ID": "crmId",
  Given: "firstName",
  Surname: "lastName",
  "Mobile #": "mobilePhone",
  "E-Mail Addr": "email",
  Yr: "vehicleYear",
  Make: "vehicleMake",
  "VIN No": "vehicleVin",
  "Sales Rep": "salesperson",
} as const;

/** The CRM's record ids: what its importer matches the outcome rows back on. */
const CRM_IDS = ["DS-7731-0001", "DS-7731-0002", "DS-7731-0003", "DS-7731-0004"];

const phones = { stop: testLeadPhone(), wrong: testLeadPhone(), appt: testLeadPhone(), formula: testLeadPhone() };

function csvOf(rows: string[][]): Uint8Array {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return new TextEncoder().encode([CRM_HEADERS, ...rows].map((r) => r.map(cell).join(",")).join("\r\n"));
}

async function collect(dealershipId: string, mapping: Parameters<typeof streamOutcomeExport>[1]): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of streamOutcomeExport(dealershipId, mapping)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parse(csv: string): { headers: string[]; rows: Record<string, string>[] } {
  expect(csv.startsWith("\uFEFF")).toBe(true);
  const parsed = Papa.parse<Record<string, string>>(csv.slice(1), { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return { headers: parsed.meta.fields!, rows: parsed.data };
}

async function leadIdByPhoneOrder(dealershipId: string): Promise<string[]> {
  const rows = await sql<
    { id: string }[]
  >`select id from public.leads where dealership_id = ${dealershipId} order by created_at, id`;
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  sql = adminSql();
  dealershipA = await createDealership(sql, "Outcome A");
  dealershipB = await createDealership(sql, "Outcome B");
  ownerA = await createMember(sql, dealershipA, "owner");
  managerA = await createMember(sql, dealershipA, "manager");
  repA = await createMember(sql, dealershipA, "rep");
  await sql`update auth.users set raw_user_meta_data = '{"display_name":"Dana Whitfield"}' where id = ${repA.userId}`;

  await importLeadsFromCsv({
    run: (fn) => withUser(ownerA.claims, dealershipA, fn),
    source: csvOf([
      [CRM_IDS[0]!, "Stella", "Stopper", phones.stop, "stella@example.test", "2019", "Honda", "1HGCV1F30KA000001", ""],
      [CRM_IDS[1]!, "Wanda", "Wrong", phones.wrong, "", "", "", "", ""],
      [CRM_IDS[2]!, "Abe", "Appt", phones.appt, "abe@example.test", "2021", "Ford", "", "Dana Whitfield"],
      [CRM_IDS[3]!, '=HYPERLINK("http://evil")', "@Sum", phones.formula, "-x@example.test", "", "+Make", "", ""],
    ]),
    fileName: "crm-report.csv",
    mapping: MAPPING,
    options: { workers: 0 },
  });
  await createLead(sql, dealershipB, { phone: testLeadPhone(), firstName: bMarker });

  // The outcomes, through the product's own paths.
  const number = await createSendingNumber(sql, dealershipA);
  await seedInboundMessage(sql, dealershipA, {
    sendingNumberId: number.id,
    from: phones.stop,
    body: "STOP",
    consentAction: "opt_out",
  });
  const wrong = await seedInboundMessage(sql, dealershipA, {
    sendingNumberId: number.id,
    from: phones.wrong,
    body: "who is this? wrong number",
  });
  const appt = await seedInboundMessage(sql, dealershipA, {
    sendingNumberId: number.id,
    from: phones.appt,
    body: "Tuesday at 10 works",
  });
  await seedInboundMessage(sql, dealershipA, { sendingNumberId: number.id, from: phones.formula, body: "+1 for me" });
  await addDoNotContact(sql, dealershipA, phones.wrong);
  // The classifier would have proposed the visit; staff correct one intent and confirm the visit.
  await sql`update public.messages set intent = 'appointment', intent_date = '2026-12-01T15:00:00Z' where id = ${appt.messageId}`;
  await recordRecentAuth(sql, ownerA);
  await withUser(ownerA.claims, dealershipA, async ({ sql: tx }) => {
    await tx`select public.correct_reply_intent(${wrong.messageId}, 'wrong_number')`;
    await tx`select public.confirm_proposed_appointment(${appt.messageId})`;
  });
  const [campaign] = await sql<{ id: string }[]>`
    insert into public.campaigns (dealership_id, name, template, status, launched_at)
    values (${dealershipA}, 'Spring trade-in', 'Hi {first_name}', 'completed', now()) returning id`;
  await sql`insert into public.campaign_recipients (campaign_id, dealership_id, lead_id, status, sent_at)
    values (${campaign!.id}, ${dealershipA}, ${appt.leadId}, 'delivered', '2026-11-20T14:00:00Z')`;
});
afterAll(async () => {
  await sql.end();
});

describe("outcome export", () => {
  it("names the identifying columns with the CRM's own headers and carries the outcomes set", async () => {
    const mapping = await withUser(ownerA.claims, dealershipA, (s) => recordOutcomeExport(s, null));
    expect(mapping).toEqual(MAPPING);
    const { headers, rows } = parse(await collect(dealershipA, mapping));
    // The CRM's headers, in the file's order of fields; ours only for the outcomes.
    expect(headers.slice(0, 9)).toEqual([
      "Customer ID",
      "Given",
      "Surname",
      "Mobile #",
      "E-Mail Addr",
      "Yr",
      "Make",
      "VIN No",
      "Sales Rep",
    ]);
    expect(headers).toEqual(expect.arrayContaining(["Outcome status", "Last reply", "Opted out", "Wrong number"]));
    expect(rows).toHaveLength(4);

    const byPhone = new Map(rows.map((r) => [r["Mobile #"], r]));
    const stop = byPhone.get(phones.stop)!;
    expect(stop).toMatchObject({
      "Customer ID": CRM_IDS[0],
      Given: "Stella",
      Surname: "Stopper",
      "E-Mail Addr": "stella@example.test",
      Yr: "2019",
      Make: "Honda",
      "VIN No": "1HGCV1F30KA000001",
      "Outcome status": "opted out",
      "Last reply": "STOP",
      "Opted out": "yes",
      "Do not contact": "no",
      "Wrong number": "no",
    });
    expect(stop["Last reply at (UTC)"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    expect(byPhone.get(phones.wrong)).toMatchObject({
      Given: "Wanda",
      "Last reply": "who is this? wrong number",
      "Last reply intent": "Wrong number",
      "Wrong number": "yes",
      "Opted out": "no",
      "Do not contact": "yes",
    });
    const appt = byPhone.get(phones.appt)!;
    expect(appt).toMatchObject({
      Given: "Abe",
      "Sales Rep": "Dana Whitfield",
      "Outcome status": "appointment set",
      "Last reply": "Tuesday at 10 works",
      "Last reply intent": "Appointment",
      "Appointment (UTC)": "2026-12-01T15:00:00Z",
      "Last campaign": "Spring trade-in",
      "Last campaign sent at (UTC)": "2026-11-20T14:00:00Z",
      "Unreadable fields": "",
    });
    const ids = await leadIdByPhoneOrder(dealershipA);
    expect(rows.map((r) => r["RefireLeads ID"])).toEqual(ids);
    // Each row carries the CRM id its lead was imported with.
    expect(rows.map((r) => [r["Mobile #"], r["Customer ID"]])).toEqual(
      expect.arrayContaining([
        [phones.stop, CRM_IDS[0]],
        [phones.wrong, CRM_IDS[1]],
        [phones.appt, CRM_IDS[2]],
        [phones.formula, CRM_IDS[3]],
      ]),
    );
  });

  it('takes the CRM id from a "Customer ID" column by the suggested mapping, encrypted at rest', async () => {
    expect(suggestMapping(CRM_HEADERS)["Customer ID"]).toBe("crmId");
    const stored = await sql<EncryptedLeadRow[]>`select * from public.leads where dealership_id = ${dealershipA}`;
    expect(stored.map((r) => decryptLeadPii(r).crmId).toSorted()).toEqual(CRM_IDS);
    // A superuser reading the raw rows (every column as text) finds no id in clear.
    const raw = await sql<
      { t: string }[]
    >`select l::text as t from public.leads l where dealership_id = ${dealershipA}`;
    for (const { t } of raw) for (const id of CRM_IDS) expect(t).not.toContain(id);
  });

  it("neutralizes formula cells and leaves E.164 phones usable", async () => {
    const mapping = await withUser(ownerA.claims, dealershipA, (s) => recordOutcomeExport(s, null));
    const { rows } = parse(await collect(dealershipA, mapping));
    const row = rows.find((r) => r["Mobile #"] === phones.formula)!;
    expect(row.Given).toBe(`'=HYPERLINK("http://evil")`);
    expect(row.Surname).toBe("'@Sum");
    expect(row["E-Mail Addr"]).toBe("'-x@example.test");
    expect(row.Make).toBe("'+Make");
    expect(row["Last reply"]).toBe("'+1 for me");
    expect(row["Mobile #"]).toBe(phones.formula);
  });

  it("never holds another dealership's leads", async () => {
    const mapping = await withUser(ownerA.claims, dealershipA, (s) => recordOutcomeExport(s, null));
    expect(await collect(dealershipA, mapping)).not.toContain(bMarker);
  });

  it("falls back to our own column names where the dealership saved no mapping", async () => {
    const ownerB = await createMember(sql, dealershipB, "owner");
    await recordRecentAuth(sql, ownerB);
    const mapping = await withUser(ownerB.claims, dealershipB, (s) => recordOutcomeExport(s, null));
    expect(mapping).toEqual({});
    const { headers, rows } = parse(await collect(dealershipB, mapping));
    expect(headers.slice(0, 6)).toEqual(["CRM ID", "First name", "Last name", "Phone", "Email", "Assigned rep"]);
    expect(rows.map((r) => r["First name"])).toEqual([bMarker]);
  });

  it("offers the saved mappings and refuses one that is not the dealership's (RL090)", async () => {
    const saved = await withUser(ownerA.claims, dealershipA, listSavedMappings);
    expect(saved[0]!.headers.toSorted()).toEqual(Object.keys(MAPPING).toSorted());
    const chosen = await withUser(ownerA.claims, dealershipA, (s) => recordOutcomeExport(s, saved[0]!.id));
    expect(chosen).toEqual(MAPPING);
    const ownerB = await createMember(sql, dealershipB, "owner");
    await recordRecentAuth(sql, ownerB);
    await expect(
      withUser(ownerB.claims, dealershipB, (s) => recordOutcomeExport(s, saved[0]!.id)),
    ).rejects.toMatchObject({ code: "RL090" });
  });

  it("is recorded only for data.export with a recent re-authentication, and audited", async () => {
    await expect(withUser(managerA.claims, dealershipA, (s) => recordOutcomeExport(s, null))).rejects.toMatchObject({
      code: "42501",
    });
    const stale = await createMember(sql, dealershipA, "admin");
    await recordRecentAuth(sql, stale, "password", 6 * 60);
    await expect(withUser(stale.claims, dealershipA, (s) => recordOutcomeExport(s, null))).rejects.toMatchObject({
      code: "RL040",
    });
    const [audit] = await sql<{ n: number; mapping_ids: string[] }[]>`
      select count(*)::int as n, array_agg(distinct metadata ->> 'mapping_id') as mapping_ids from public.audit_events
      where dealership_id = ${dealershipA} and action = 'data.outcomes_exported'`;
    expect(audit!.n).toBeGreaterThanOrEqual(3);
    expect(audit!.mapping_ids).toHaveLength(1);
  });
});
