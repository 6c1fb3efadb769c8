/**
 * Finding 3 of issue 8, as it happened: an edit form opened before the lead texted STOP, saved
 * with only the first name changed, must not opt the lead back in, and no reply may go out.
 */
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withUser, type RunInScope } from "@/lib/db/scope";
import { sendMessageToLead } from "@/lib/sms/send-message";
import { createSendingNumber, seedInboundMessage, testLeadPhone } from "@/lib/sms/testing/messaging-fixtures";
import { adminSql, createDealership, createLead, createMember, type TestMember } from "@/local-stack/test-fixtures";
import { getLead, type LeadDetail } from "./lead-queries";
import { LEAD_CHANGED_MESSAGE, updateLead } from "./lead-update";
import { leadUpdateSchema } from "./lead-update.schema";

let sql: Sql;
let dealership: string;
let owner: TestMember;
let numberId: string;

/** The edit form as the page renders it, with the first name changed. */
const formFrom = (lead: LeadDetail, firstName: string) =>
  leadUpdateSchema.parse({
    leadId: lead.id,
    firstName,
    lastName: lead.pii.lastName ?? "",
    phone: lead.pii.phone ?? "",
    email: lead.pii.email ?? "",
    vehicleYear: lead.pii.vehicleYear ?? "",
    vehicleMake: lead.pii.vehicleMake ?? "",
    vehicleModel: lead.pii.vehicleModel ?? "",
    vehicleTrim: lead.pii.vehicleTrim ?? "",
    vehicleVin: lead.pii.vehicleVin ?? "",
    notes: lead.pii.notes ?? "",
    status: lead.status,
    consentStatus: lead.consentStatus,
    version: String(lead.version),
  });

/** The lead texts STOP: the webhook's own role and function, as in production. */
async function leadTextsStop(phone: string) {
  await sql.begin(async (tx) => {
    await tx`set local role sms_webhook`;
    await seedInboundMessage(tx as unknown as Sql, dealership, {
      sendingNumberId: numberId,
      from: phone,
      body: "STOP",
      consentAction: "opt_out",
    });
  });
}

beforeAll(async () => {
  sql = adminSql();
  dealership = await createDealership(sql, "Stale Form Motors");
  owner = await createMember(sql, dealership, "owner");
  numberId = (await createSendingNumber(sql, dealership)).id;
});

afterAll(() => sql.end());

const open = async (id: string) => (await withUser(owner.claims, dealership, (scope) => getLead(scope, id)))!;

describe("a stale form never undoes a STOP", () => {
  it("form opened, STOP arrives, stale save of the first name is refused; consent stays opted out; no reply can be queued", async () => {
    const phone = testLeadPhone();
    const id = await createLead(sql, dealership, { phone, firstName: "Stella" });
    const rendered = await open(id);
    expect(rendered.consentStatus).toBe("unknown");

    await leadTextsStop(phone);

    await expect(
      withUser(owner.claims, dealership, (scope) => updateLead(scope, formFrom(rendered, "Stella-Marie"))),
    ).rejects.toMatchObject({
      code: "conflict",
      message: LEAD_CHANGED_MESSAGE,
    });
    const now = await open(id);
    expect(now).toMatchObject({ consentStatus: "opted_out", status: "opted_out", pii: { firstName: "Stella" } });

    const run: RunInScope = (fn) => withUser(owner.claims, dealership, fn);
    await expect(sendMessageToLead(run, { leadId: id, body: "Still interested?" })).rejects.toMatchObject({
      code: "conflict",
    });
    const [sent] =
      await sql`select count(*)::int as n from public.messages where lead_id = ${id} and direction = 'outbound'`;
    expect(sent!.n).toBe(0);
  });

  it("a current form may change other fields of an opted-out lead, but never its consent or status", async () => {
    const phone = testLeadPhone();
    const id = await createLead(sql, dealership, { phone, firstName: "Otto" });
    await leadTextsStop(phone);
    const rendered = await open(id);

    expect(
      await withUser(owner.claims, dealership, (scope) => updateLead(scope, formFrom(rendered, "Otto-Karl"))),
    ).toEqual(["firstName"]);
    const edited = await open(id);
    expect(edited).toMatchObject({ consentStatus: "opted_out", status: "opted_out", pii: { firstName: "Otto-Karl" } });

    for (const change of [{ consentStatus: "unknown" }, { consentStatus: "opted_in" }, { status: "engaged" }]) {
      const form = { ...formFrom(edited, "Otto"), ...change } as ReturnType<typeof formFrom>;
      await expect(withUser(owner.claims, dealership, (scope) => updateLead(scope, form))).rejects.toMatchObject({
        code: "conflict",
      });
    }
    expect(await open(id)).toMatchObject({
      consentStatus: "opted_out",
      status: "opted_out",
      pii: { firstName: "Otto-Karl" },
    });
  });

  it("choosing status 'opted out' on the lead page opts the lead out too (the inbox and the lead page agree)", async () => {
    const id = await createLead(sql, dealership, { phone: testLeadPhone(), firstName: "Una" });
    const form = { ...formFrom(await open(id), "Una"), status: "opted_out" } as ReturnType<typeof formFrom>;
    await withUser(owner.claims, dealership, (scope) => updateLead(scope, form));
    expect(await open(id)).toMatchObject({ consentStatus: "opted_out", status: "opted_out" });
  });
});
