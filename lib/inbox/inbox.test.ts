import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withUser } from "@/lib/db/scope";
import { addToDoNotContact } from "@/lib/leads/do-not-contact";
import { createSendingNumber, seedInboundMessage, testLeadPhone } from "@/lib/sms/testing/messaging-fixtures";
import { adminSql, createDealership, createLead, createMember, type TestMember } from "@/local-stack/test-fixtures";
import { markThreadRead } from "./conversation-queries";
import { inboxVersion } from "./inbox-version";
import { setLeadStatus } from "./lead-status";
import { getThreadLead, replyRefusal } from "./thread-lead";

let sql: Sql;
let dealershipId: string;
let otherDealershipId: string;
let owner: TestMember;
let rep: TestMember;
let outsider: TestMember;
let numberId: string;
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string }) => e.code ?? String(e),
  );
const versionOf = async (leadId: string) =>
  (await sql`select version from public.leads where id = ${leadId}`)[0]!.version as number;

beforeAll(async () => {
  sql = adminSql();
  dealershipId = await createDealership(sql, "Inbox Motors");
  otherDealershipId = await createDealership(sql, "Other Motors");
  owner = await createMember(sql, dealershipId, "owner");
  rep = await createMember(sql, dealershipId, "rep");
  outsider = await createMember(sql, otherDealershipId, "owner");
  numberId = (await createSendingNumber(sql, dealershipId)).id;
});

afterAll(async () => {
  await sql?.end();
});

describe("lead status from the inbox", () => {
  it("sets the status and audits it; 'opted out' opts the lead out of texts too, and sticks", async () => {
    const leadId = await createLead(sql, dealershipId, { phone: testLeadPhone(), firstName: "Ana" });
    const set = async (status: "appointment_set" | "opted_out" | "lost") =>
      withUser(owner.claims, dealershipId, async (scope) =>
        setLeadStatus(scope, leadId, status, await versionOf(leadId)),
      );
    expect(await set("appointment_set")).toBe(true);
    expect(await set("appointment_set")).toBe(false);
    await set("opted_out");
    const [lead] = await sql`select status, consent_status, consent_source from public.leads where id = ${leadId}`;
    expect(lead).toEqual({ status: "opted_out", consent_status: "opted_out", consent_source: "staff edit (inbox)" });
    // Another status later is refused: the lead page and the inbox both say "opted out" until START.
    await expect(set("lost")).rejects.toMatchObject({ code: "conflict" });
    const [after] = await sql`select status, consent_status from public.leads where id = ${leadId}`;
    expect(after).toEqual({ status: "opted_out", consent_status: "opted_out" });
    const audit =
      await sql`select metadata from public.audit_events where target_id = ${leadId} and action = 'lead.updated' order by id`;
    expect(audit.map((a) => a.metadata.status)).toEqual(["appointment_set", "opted_out"]);
  });

  it("a thread rendered before the lead changed refuses the status change", async () => {
    const leadId = await createLead(sql, dealershipId, { phone: testLeadPhone() });
    const rendered = await versionOf(leadId);
    await sql`update public.leads set consent_status = 'opted_out', consent_source = 'sms_stop' where id = ${leadId}`;
    await expect(
      withUser(owner.claims, dealershipId, (scope) => setLeadStatus(scope, leadId, "sold", rendered)),
    ).rejects.toMatchObject({ code: "conflict" });
    const [after] = await sql`select status, consent_status from public.leads where id = ${leadId}`;
    expect(after).toEqual({ status: "opted_out", consent_status: "opted_out" });
  });

  it("is refused for leads the user cannot see (another rep's, another dealership's)", async () => {
    const leadId = await createLead(sql, dealershipId, { phone: testLeadPhone() });
    expect(await codeOf(withUser(rep.claims, dealershipId, (scope) => setLeadStatus(scope, leadId, "sold", 1)))).toBe(
      "not_found",
    );
    expect(
      await codeOf(withUser(outsider.claims, otherDealershipId, (scope) => setLeadStatus(scope, leadId, "sold", 1))),
    ).toBe("not_found");
    await sql`update public.leads set assigned_to = ${rep.userId} where id = ${leadId}`;
    expect(
      await withUser(rep.claims, dealershipId, async (scope) =>
        setLeadStatus(scope, leadId, "sold", await versionOf(leadId)),
      ),
    ).toBe(true);
  });
});

describe("thread lead and inbox fingerprint", () => {
  it("a new message changes the fingerprint; a hidden lead has none", async () => {
    const phone = testLeadPhone();
    const leadId = await createLead(sql, dealershipId, { phone });
    const before = await withUser(owner.claims, dealershipId, (scope) => inboxVersion(scope, leadId));
    await seedInboundMessage(sql, dealershipId, { sendingNumberId: numberId, from: phone, body: "Hello?" });
    const after = await withUser(owner.claims, dealershipId, (scope) => inboxVersion(scope, leadId));
    expect(after).not.toBeNull();
    expect(after).not.toBe(before);
    expect(await withUser(rep.claims, dealershipId, (scope) => inboxVersion(scope, leadId))).toBeNull();
    expect(await withUser(outsider.claims, otherDealershipId, (scope) => inboxVersion(scope, leadId))).toBeNull();
  });

  it("says why a lead cannot be texted: opted out, do-not-contact, no sending number", async () => {
    const phone = testLeadPhone();
    const leadId = await createLead(sql, dealershipId, { phone, firstName: "Bo" });
    await seedInboundMessage(sql, dealershipId, { sendingNumberId: numberId, from: phone, body: "hi" });
    const lead = (await withUser(owner.claims, dealershipId, (scope) => getThreadLead(scope, leadId)))!;
    expect(lead).toMatchObject({
      name: "Bo",
      phone,
      consentStatus: "unknown",
      onDoNotContact: false,
      conversation: { unreadCount: 1 },
    });
    expect(replyRefusal(lead, true)).toBeNull();
    expect(replyRefusal(lead, false)).toMatch(/sending number/);
    await withUser(owner.claims, dealershipId, (scope) => addToDoNotContact(scope, [phone], { source: "manual" }));
    const listed = (await withUser(owner.claims, dealershipId, (scope) => getThreadLead(scope, leadId)))!;
    expect(replyRefusal(listed, true)).toMatch(/do-not-contact/);
    expect(replyRefusal({ ...listed, consentStatus: "opted_out" }, true)).toMatch(/opted out/);
    expect(await withUser(outsider.claims, otherDealershipId, (scope) => getThreadLead(scope, leadId))).toBeNull();
  });
});

describe("marking a thread read (an action the open thread calls, not the page)", () => {
  it("clears the unread count and the attention flag once; a hidden lead's thread is left alone", async () => {
    const phone = testLeadPhone();
    const leadId = await createLead(sql, dealershipId, { phone });
    const { conversationId } = await seedInboundMessage(sql, dealershipId, {
      sendingNumberId: numberId,
      from: phone,
      body: "please stop texting me so often",
    });
    await sql`update public.conversations set needs_attention = true where id = ${conversationId}`;
    const state = async () =>
      (await sql`select unread_count, needs_attention from public.conversations where id = ${conversationId}`)[0];
    // Another rep's lead, another dealership's: nothing changes.
    expect(await withUser(rep.claims, dealershipId, (scope) => markThreadRead(scope, leadId))).toBe(false);
    expect(await withUser(outsider.claims, otherDealershipId, (scope) => markThreadRead(scope, leadId))).toBe(false);
    expect(await state()).toEqual({ unread_count: 1, needs_attention: true });
    expect(await withUser(owner.claims, dealershipId, (scope) => markThreadRead(scope, leadId))).toBe(true);
    expect(await state()).toEqual({ unread_count: 0, needs_attention: false });
    expect(await withUser(owner.claims, dealershipId, (scope) => markThreadRead(scope, leadId))).toBe(false);
  });
});
