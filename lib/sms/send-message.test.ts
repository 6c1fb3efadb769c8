/**
 * Sending as a signed-in user through the real twilio SDK and the emulator, whose signed status
 * callbacks and inbound webhooks go straight into the real route handlers. Covers suppression
 * before Twilio is called, Twilio's 21610, 429-then-success, and what the inbox reads back.
 */
import type { Sql } from "postgres";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as inboundRoute } from "@/app/api/twilio/inbound/route";
import { POST as statusRoute } from "@/app/api/twilio/status/route";
import { blindIndex } from "@/lib/crypto/blind-index";
import { withUser, type RunInScope } from "@/lib/db/scope";
import { listConversations, listThreadMessages, markConversationRead } from "@/lib/inbox/conversation-queries";
import { AppError } from "@/lib/server/app-error";
import { emulatorConversation, emulatorInjectFault, emulatorSendInbound } from "@/local-stack/twilio/emulator-client";
import { startTwilioEmulator, type RunningTwilioEmulator } from "@/local-stack/twilio/server";
import { adminSql, createDealership, createLead, createMember, type TestMember } from "@/local-stack/test-fixtures";
import { sendMessageToLead } from "./send-message";
import { createSmsGateway, type SmsGateway } from "./sms-gateway";
import { createSendingNumber, testLeadPhone } from "./testing/messaging-fixtures";

/** Statuses of a message Twilio accepted: queued, or already moved on by a status callback. */
const ACCEPTED = ["queued", "sent", "delivered"];

let sql: Sql;
let emu: RunningTwilioEmulator;
let gateway: SmsGateway;
let dealershipId: string;
let otherDealershipId: string;
let sendingNumber: string;
let owner: TestMember;
let rep: TestMember;
let otherRep: TestMember;
let southsideOwner: TestMember;

const as =
  (m: TestMember, id = dealershipId): RunInScope =>
  (fn) =>
    withUser(m.claims, id, fn);
const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => (e instanceof AppError ? e.code : e),
  );

async function until<T>(fn: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  sql = adminSql();
  emu = await startTwilioEmulator({
    port: 0,
    accountSid: process.env.TWILIO_ACCOUNT_SID!,
    authToken: process.env.TWILIO_AUTH_TOKEN!,
    appBaseUrl: process.env.APP_BASE_URL!,
    callbackDelayMs: 10,
    log: () => {},
    // The app is not listening in unit tests; hand the signed webhook to the route handler itself.
    dispatch: (url, init) =>
      (new URL(url).pathname === "/api/twilio/status" ? statusRoute : inboundRoute)(new Request(url, init)),
  });
  gateway = createSmsGateway({
    accountSid: process.env.TWILIO_ACCOUNT_SID!,
    authToken: process.env.TWILIO_AUTH_TOKEN!,
    apiBaseUrl: emu.url,
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
  });
  dealershipId = await createDealership(sql, "Northside Test");
  otherDealershipId = await createDealership(sql, "Southside Test");
  sendingNumber = (await createSendingNumber(sql, dealershipId)).phone;
  owner = await createMember(sql, dealershipId, "owner");
  rep = await createMember(sql, dealershipId, "rep");
  otherRep = await createMember(sql, dealershipId, "rep", "other-rep");
  southsideOwner = await createMember(sql, otherDealershipId, "owner");
});

afterAll(async () => {
  await emu?.stop();
  await sql?.end();
});

beforeEach(() => emu.store.reset());

describe("sendMessageToLead", () => {
  it("sends through the SDK, stores the body encrypted, and follows callbacks to delivered", async () => {
    const phone = testLeadPhone();
    const leadId = await createLead(sql, dealershipId, { phone, firstName: "Ann" });
    const sent = await sendMessageToLead(as(owner), { leadId, body: "Hi Ann, still shopping for a truck?" }, gateway);
    expect(sent).toMatchObject({ segments: 1 });
    // The emulator's status callbacks may already have moved it on by the time the result is read.
    expect(ACCEPTED).toContain(sent.status);
    expect(sent.twilioSid).toMatch(/^SM[0-9a-f]{32}$/);
    const atTwilio = await emulatorConversation(emu.url, phone);
    expect(atTwilio.map((m) => [m.from, m.to, m.body])).toEqual([
      [sendingNumber, phone, "Hi Ann, still shopping for a truck?"],
    ]);
    const delivered = await until(async () => {
      const [m] = await sql`select status from public.messages where id = ${sent.messageId}`;
      return m!.status === "delivered" ? m : undefined;
    });
    expect(delivered.status).toBe("delivered");
    const [raw] = await sql`select body_enc, sent_by from public.messages where id = ${sent.messageId}`;
    expect(raw!.body_enc).not.toContain("truck");
    expect(raw!.sent_by).toBe(owner.userId);
  });

  it("refuses an opted-out or do-not-contact lead before calling Twilio", async () => {
    const optedOut = await createLead(sql, dealershipId, { phone: testLeadPhone() });
    await sql`update public.leads set consent_status = 'opted_out', consent_source = 'test' where id = ${optedOut}`;
    expect(await errorOf(sendMessageToLead(as(owner), { leadId: optedOut, body: "hello?" }, gateway))).toBe("conflict");
    const dncPhone = testLeadPhone();
    const dnc = await createLead(sql, dealershipId, { phone: dncPhone });
    await sql`insert into public.do_not_contact (dealership_id, phone_bidx, source) values (${dealershipId}, ${blindIndex("phone", dncPhone, dealershipId)}, 'manual')`;
    expect(await errorOf(sendMessageToLead(as(owner), { leadId: dnc, body: "hello?" }, gateway))).toBe("conflict");
    expect(emu.store.messages.size).toBe(0);
    expect(await sql`select 1 from public.messages where lead_id in (${optedOut}, ${dnc})`).toHaveLength(0);
  });

  it("Twilio's 21610 marks the lead opted out and the message failed", async () => {
    const leadId = await createLead(sql, dealershipId, { phone: "+15005550004" }); // Twilio's "unsubscribed" magic number
    expect(await errorOf(sendMessageToLead(as(owner), { leadId, body: "hi" }, gateway))).toBe("conflict");
    const [lead] = await sql`select consent_status, status, consent_source from public.leads where id = ${leadId}`;
    expect(lead).toEqual({ consent_status: "opted_out", status: "opted_out", consent_source: "twilio_error_21610" });
    const [m] = await sql`select status, error_code from public.messages where lead_id = ${leadId}`;
    expect(m).toEqual({ status: "failed", error_code: 21610 });
  });

  it("a 429 from Twilio is retried and the message goes out once", async () => {
    const phone = testLeadPhone();
    const leadId = await createLead(sql, dealershipId, { phone });
    await emulatorInjectFault(emu.url, "429", 1);
    const sent = await sendMessageToLead(as(owner), { leadId, body: "second try" }, gateway);
    expect(ACCEPTED).toContain(sent.status);
    expect(await emulatorConversation(emu.url, phone)).toHaveLength(1);
  });

  it("a rep sends to their own lead but not to another rep's", async () => {
    const mine = await createLead(sql, dealershipId, { phone: testLeadPhone() }, rep.userId);
    const theirs = await createLead(sql, dealershipId, { phone: testLeadPhone() }, otherRep.userId);
    expect(ACCEPTED).toContain((await sendMessageToLead(as(rep), { leadId: mine, body: "hi" }, gateway)).status);
    expect(await errorOf(sendMessageToLead(as(rep), { leadId: theirs, body: "hi" }, gateway))).toBe("not_found");
  });

  it("refuses empty or over-long bodies and dealerships without a sending number", async () => {
    const leadId = await createLead(sql, dealershipId, { phone: testLeadPhone() });
    expect(await errorOf(sendMessageToLead(as(owner), { leadId, body: "   " }, gateway))).toBe("invalid_input");
    expect(await errorOf(sendMessageToLead(as(owner), { leadId, body: "x".repeat(1601) }, gateway))).toBe(
      "invalid_input",
    );
    const southLead = await createLead(sql, otherDealershipId, { phone: testLeadPhone() });
    expect(
      await errorOf(
        sendMessageToLead(as(southsideOwner, otherDealershipId), { leadId: southLead, body: "hi" }, gateway),
      ),
    ).toBe("conflict");
  });
});

describe("a whole conversation", () => {
  it("owner writes, the lead answers from the phone, the thread shows both; Southside sees nothing", async () => {
    const phone = testLeadPhone();
    const leadId = await createLead(sql, dealershipId, { phone, firstName: "Lee", lastName: "Park" });
    await sendMessageToLead(as(owner), { leadId, body: "Hi Lee, the Civic is back in stock." }, gateway);
    const reply = await emulatorSendInbound(emu.url, {
      from: phone,
      to: sendingNumber,
      body: "Great, can I see it Saturday?",
    });
    expect(reply.appStatus).toBe(200);

    const thread = await withUser(owner.claims, dealershipId, (scope) => listThreadMessages(scope, leadId));
    expect(thread.map((m) => [m.direction, m.body])).toEqual([
      ["outbound", "Hi Lee, the Civic is back in stock."],
      ["inbound", "Great, can I see it Saturday?"],
    ]);
    const list = await withUser(owner.claims, dealershipId, (scope) => listConversations(scope));
    const mine = list.find((c) => c.leadId === leadId)!;
    expect(mine).toMatchObject({
      leadName: "Lee Park",
      unreadCount: 1,
      leadStatus: "engaged",
      lastMessage: { direction: "inbound", preview: "Great, can I see it Saturday?" },
    });
    expect(list[0]!.unreadCount).toBeGreaterThan(0); // unread first
    await withUser(owner.claims, dealershipId, (scope) => markConversationRead(scope, mine.id));
    const [after] = await withUser(
      owner.claims,
      dealershipId,
      ({ sql }) => sql<{ unread_count: number }[]>`select unread_count from public.conversations where id = ${mine.id}`,
    );
    expect(after!.unread_count).toBe(0);

    // Southside's scope is its own dealership: Northside's conversation is in neither its list nor its thread.
    const south = await withUser(southsideOwner.claims, otherDealershipId, async (scope) => ({
      list: (await listConversations(scope)).filter((c) => c.leadId === leadId),
      thread: await listThreadMessages(scope, leadId),
    }));
    expect(south).toEqual({ list: [], thread: [] });
    // And Southside cannot open a scope on Northside at all.
    await expect(
      withUser(southsideOwner.claims, dealershipId, (scope) => listConversations(scope)),
    ).rejects.toMatchObject({ code: "forbidden" });
  });
});
