/**
 * Reply triage in the database, end to end: a signed webhook through the real route stores the
 * intent and takes each automatic action (recorded with source "classifier"), a retry is not
 * triaged twice, staff correct with one click (a training example, the action undone or redone,
 * source "staff"), an appointment is confirmed, an automatic answer goes out only where the
 * dealership turned it on, and the corrections export as training data. Tenancy is checked as the
 * `authenticated` role in SQL, the way the Data API would send it.
 */
import type { Sql, TransactionSql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/twilio/inbound/route";
import { withAccount, withUser } from "@/lib/db/scope";
import { listConversations, listThreadMessages } from "@/lib/inbox/conversation-queries";
import { createSendingNumber, testLeadPhone, testMessageSid } from "@/lib/sms/testing/messaging-fixtures";
import { signedTwilioRequest } from "@/lib/sms/testing/signed-webhook-request";
import { campaignRepliesByIntent } from "@/lib/triage/campaign-intents";
import { exportTriageCorrections } from "@/lib/triage/export-corrections";
import { confirmProposedAppointment, correctReplyIntent, saveReplyTemplate } from "@/lib/triage/reply-triage-store";
import { adminSql, createDealership, createLead, createMember, type TestMember } from "@/local-stack/test-fixtures";

let sql: Sql;
let dealership: string;
let other: string;
let number: string;
let owner: TestMember;
let rep: TestMember;
let otherOwner: TestMember;

async function reply(from: string, body: string, sid = testMessageSid()) {
  const res = await POST(
    signedTwilioRequest("/api/twilio/inbound", {
      MessageSid: sid,
      SmsSid: sid,
      AccountSid: process.env.TWILIO_ACCOUNT_SID!,
      From: from,
      To: number,
      Body: body,
      NumMedia: "0",
    }),
  );
  expect(res.status).toBe(200);
  const [message] = await sql`select * from public.messages where twilio_sid = ${sid}`;
  const [lead] = await sql`select * from public.leads where id = ${message!.lead_id}`;
  const [conversation] = await sql`select * from public.conversations where id = ${message!.conversation_id}`;
  return { sid, twiml: await res.text(), message: message!, lead: lead!, conversation: conversation! };
}

const auditFor = (leadId: string) =>
  sql`select action, actor_user_id, metadata from public.audit_events
      where target_id = ${leadId} and action not in ('lead.updated') order by id`;

/** Outcome of SQL run as a member through the Data API's role: rows, or the error code. */
async function asMember(member: TestMember, fn: (tx: TransactionSql) => Promise<{ count: number }>) {
  try {
    return await withAccount(member.claims, async ({ sql: tx }) => (await fn(tx)).count);
  } catch (err) {
    return String((err as { code?: string }).code ?? err);
  }
}

beforeAll(async () => {
  sql = adminSql();
  dealership = await createDealership(sql, "Triage Motors");
  other = await createDealership(sql, "Other Auto");
  await sql`update public.dealerships set timezone = 'America/Chicago' where id = ${dealership}`;
  number = (await createSendingNumber(sql, dealership)).phone;
  owner = await createMember(sql, dealership, "owner");
  rep = await createMember(sql, dealership, "rep");
  otherOwner = await createMember(sql, other, "owner");
});

afterAll(async () => {
  await sql?.end();
});

describe("automatic actions from the webhook", () => {
  it("wrong_number: the phone is marked wrong and left out of campaigns, recorded with source classifier", async () => {
    const r = await reply(testLeadPhone(), "you've got the wrong guy, no Mike here");
    expect(r.message).toMatchObject({ intent: "wrong_number", intent_source: "rule" });
    expect(r.lead).toMatchObject({ campaign_suppression: "wrong_number" });
    expect(r.lead.campaign_suppressed_at).not.toBeNull();
    expect(r.conversation.last_intent).toBe("wrong_number");
    expect(await auditFor(r.lead.id)).toEqual([
      {
        action: "lead.phone_marked_wrong",
        actor_user_id: null,
        metadata: { source: "classifier", message_id: r.message.id, suppressed: true },
      },
    ]);
  });

  it("already_bought: the lead is closed (lost) and suppressed", async () => {
    const r = await reply(testLeadPhone(), "picked up an Accord at another lot last week");
    expect(r.message.intent).toBe("already_bought");
    expect(r.lead).toMatchObject({ status: "lost", campaign_suppression: "already_bought" });
    expect((await auditFor(r.lead.id)).map((a) => [a.action, a.metadata.source])).toEqual([
      ["lead.closed_bought_elsewhere", "classifier"],
    ]);
  });

  it("auto_reply: stored and sorted, but not counted as a reply (the unread count stays)", async () => {
    const r = await reply(testLeadPhone(), "[Auto Reply] I'm on vacation until the 12th");
    expect(r.message.intent).toBe("auto_reply");
    expect(r.conversation.unread_count).toBe(0);
    const human = await reply(testLeadPhone(), "yep still shopping for a minivan");
    expect(human.conversation.unread_count).toBe(1);
  });

  it("opt_out: the consent path opts the lead out and the reply is flagged for a person", async () => {
    const r = await reply(testLeadPhone(), "I bought a car already so please stop sending me texts");
    expect(r.message).toMatchObject({ intent: "opt_out", intent_source: "rule", needs_review: true });
    expect(r.lead).toMatchObject({ consent_status: "opted_out", status: "opted_out" });
    expect(r.conversation.needs_attention).toBe(true);
    // The keyword is the same intent; the lead's START reverses the consent as before.
    const phone = testLeadPhone();
    expect((await reply(phone, "STOP")).message.intent).toBe("opt_out");
    expect((await reply(phone, "START")).lead.consent_status).toBe("opted_in");
  });

  it("not_now: the date becomes the lead's follow-up reminder", async () => {
    const r = await reply(testLeadPhone(), "not right now, check back with me in March");
    expect(r.message.intent).toBe("not_now");
    expect(r.message.intent_date).not.toBeNull();
    expect(r.lead.follow_up_at).toEqual(r.message.intent_date);
    // 10:00 on 1 March in the dealership's zone (America/Chicago, CST).
    expect((r.message.intent_date as Date).toISOString()).toMatch(/-03-01T16:00:00\.000Z$/);
    expect((await auditFor(r.lead.id)).map((a) => a.action)).toEqual(["lead.follow_up_set"]);
  });

  it("a Twilio retry is not triaged again", async () => {
    const phone = testLeadPhone();
    const first = await reply(phone, "wrong number");
    await sql`update public.leads set campaign_suppression = null where id = ${first.lead.id}`;
    const again = await reply(phone, "wrong number", first.sid);
    expect(again.lead.campaign_suppression).toBeNull();
    expect(await auditFor(first.lead.id)).toHaveLength(1);
  });
});

describe("the inbox", () => {
  it("filters by intent and queues what needs a person, with the intent and date on each message", async () => {
    const question = await reply(testLeadPhone(), "what's the monthly on the Tahoe?");
    const visit = await reply(testLeadPhone(), "Can I come in Thursday morning for a test drive?");
    await withUser(owner.claims, dealership, async (scope) => {
      const queue = await listConversations(scope, { show: "needs_person" });
      const ids = queue.map((c) => c.leadId);
      expect(ids).toEqual(expect.arrayContaining([question.lead.id, visit.lead.id]));
      expect(
        queue.every((c) => ["appointment", "call_me", "question", "hostile", "interested"].includes(c.lastIntent!)),
      ).toBe(true);
      const onlyQuestions = await listConversations(scope, { show: "question" });
      expect(onlyQuestions.map((c) => c.lastIntent)).toEqual(onlyQuestions.map(() => "question"));
      const sorted = await listConversations(scope, { sort: "intent" });
      const ranks = sorted.filter((c) => c.lastIntent).map((c) => c.lastIntent);
      expect(ranks.indexOf("wrong_number")).toBeLessThan(ranks.indexOf("question"));
      const [message] = await listThreadMessages(scope, visit.lead.id);
      expect(message).toMatchObject({ intent: "appointment", intentSource: "model" });
      expect(message!.intentDate).toBeInstanceOf(Date);
    });
  });

  it("confirms a proposed appointment: the lead's appointment and status follow", async () => {
    const visit = await reply(testLeadPhone(), "could I swing by Wednesday around 3?");
    expect(visit.message.intent).toBe("appointment");
    await withUser(owner.claims, dealership, (scope) => confirmProposedAppointment(scope, visit.message.id));
    const [lead] = await sql`select status, appointment_at from public.leads where id = ${visit.lead.id}`;
    expect(lead).toMatchObject({ status: "appointment_set", appointment_at: visit.message.intent_date });
    const plain = await reply(testLeadPhone(), "cool");
    await expect(
      withUser(owner.claims, dealership, (scope) => confirmProposedAppointment(scope, plain.message.id)),
    ).rejects.toMatchObject({ code: "RL060" });
  });
});

describe("the correction loop", () => {
  it("one click stores a training example, undoes the old action and takes the new one (source staff)", async () => {
    const r = await reply(testLeadPhone(), "wrong #");
    expect(r.lead.campaign_suppression).toBe("wrong_number");
    await withUser(owner.claims, dealership, (scope) => correctReplyIntent(scope, r.message.id, "interested"));
    const [message] = await sql`select intent, intent_source from public.messages where id = ${r.message.id}`;
    expect(message).toEqual({ intent: "interested", intent_source: "staff" });
    const [lead] = await sql`select campaign_suppression from public.leads where id = ${r.lead.id}`;
    expect(lead!.campaign_suppression).toBeNull();
    const corrections =
      await sql`select from_intent, to_intent, corrected_by from public.triage_corrections where message_id = ${r.message.id}`;
    expect(corrections).toEqual([{ from_intent: "wrong_number", to_intent: "interested", corrected_by: owner.userId }]);
    const [conversation] = await sql`select last_intent from public.conversations where id = ${r.conversation.id}`;
    expect(conversation!.last_intent).toBe("interested");

    await withUser(owner.claims, dealership, (scope) => correctReplyIntent(scope, r.message.id, "already_bought"));
    const [closed] = await sql`select status, campaign_suppression from public.leads where id = ${r.lead.id}`;
    expect(closed).toEqual({ status: "lost", campaign_suppression: "already_bought" });
    expect((await auditFor(r.lead.id)).map((a) => [a.action, a.metadata.source ?? null])).toEqual([
      ["lead.phone_marked_wrong", "classifier"],
      ["lead.suppression_lifted", "staff"],
      ["lead.closed_bought_elsewhere", "staff"],
    ]);
  });

  it("exports the corrections as labelled replies for triage:train", async () => {
    const r = await reply(testLeadPhone(), "lol ok whatever you say");
    await withUser(owner.claims, dealership, (scope) => correctReplyIntent(scope, r.message.id, "not_interested"));
    const exported = await exportTriageCorrections();
    expect(exported).toContainEqual({ text: "lol ok whatever you say", intent: "not_interested", lang: "en" });
  });

  it("is refused across dealerships, to a rep without the lead, to anon, and by direct writes", async () => {
    const r = await reply(testLeadPhone(), "wrong number");
    const call = (tx: TransactionSql) => tx`select public.correct_reply_intent(${r.message.id}, 'interested')`;
    expect(await asMember(otherOwner, call)).toBe("42501");
    expect(await asMember(rep, call)).toBe("42501");
    expect(
      await asMember(
        otherOwner,
        (tx) => tx`select * from public.triage_corrections where dealership_id = ${dealership}`,
      ),
    ).toBe(0);
    expect(
      await asMember(
        owner,
        (tx) =>
          tx`insert into public.triage_corrections (dealership_id, message_id, lead_id, to_intent) values (${dealership}, ${r.message.id}, ${r.lead.id}, 'other')`,
      ),
    ).toBe("42501");
    expect(
      await asMember(owner, (tx) => tx`update public.messages set intent = 'other' where id = ${r.message.id}`),
    ).toBe("42501");
    expect(
      await asMember(owner, (tx) => tx`select private.record_reply_triage(${r.message.id}, 'other', 1, null, 'rule')`),
    ).toBe("42501");
    const anon = await sql
      .begin(async (tx) => {
        await tx`select set_config('role', 'anon', true)`;
        await tx`select public.correct_reply_intent(${r.message.id}, 'interested')`;
      })
      .then(
        () => "ok",
        (err: { code?: string }) => err.code,
      );
    expect(anon).toBe("42501");
    const [unchanged] = await sql`select intent from public.messages where id = ${r.message.id}`;
    expect(unchanged!.intent).toBe("wrong_number");
  });

  it("a rep corrects the replies of their own leads", async () => {
    const phone = testLeadPhone();
    const leadId = await createLead(sql, dealership, { phone, firstName: "Rae" }, rep.userId);
    const r = await reply(phone, "cool");
    expect(r.lead.id).toBe(leadId);
    await withUser(rep.claims, dealership, (scope) => correctReplyIntent(scope, r.message.id, "interested"));
    const [m] = await sql`select intent from public.messages where id = ${r.message.id}`;
    expect(m!.intent).toBe("interested");
  });
});

describe("automatic answers", () => {
  it("are sent only for the intents the dealership turned on, filled for the lead, and stored", async () => {
    const phone = testLeadPhone();
    await createLead(sql, dealership, { phone, firstName: "Maria" });
    // Off by default: a suggestion only.
    expect((await reply(phone, "what's the monthly on the Tahoe?")).twiml).not.toContain("<Message>");
    await withUser(owner.claims, dealership, (scope) =>
      saveReplyTemplate(scope, {
        intent: "question",
        body: "Hi {first_name|there}, {dealer_name} here: a person will answer shortly!",
        autoSend: true,
      }),
    );
    const r = await reply(phone, "do you guys do financing for bad credit?");
    expect(r.twiml).toMatch(
      /<Message>Hi Maria, Triage Motors [0-9a-f]{6} here: a person will answer shortly!<\/Message>/,
    );
    const [answer] = await sql`select direction, auto_reply, status from public.messages
      where conversation_id = ${r.conversation.id} and direction = 'outbound' order by created_at desc limit 1`;
    expect(answer).toEqual({ direction: "outbound", auto_reply: true, status: "accepted" });
    // Never to an opt-out, whatever the settings.
    expect((await reply(phone, "stop texting me")).twiml).not.toContain("a person will answer");
  });

  it("can never be turned on for opt_out, wrong_number, auto_reply or hostile (the database refuses)", async () => {
    await expect(
      withUser(owner.claims, dealership, (scope) =>
        saveReplyTemplate(scope, { intent: "hostile", body: "Sorry!", autoSend: true }),
      ),
    ).rejects.toMatchObject({ code: "23514" });
    // Settings are the owners' and admins': a rep cannot write templates.
    await expect(
      withUser(rep.claims, dealership, (scope) =>
        saveReplyTemplate(scope, { intent: "other", body: "Hi", autoSend: false }),
      ),
    ).rejects.toMatchObject({ code: "42501" });
  });
});

describe("campaigns", () => {
  /** A lead that a sending campaign has just texted (as the worker would leave it). */
  async function textedByCampaign(campaignId: string) {
    const phone = testLeadPhone();
    const leadId = await createLead(sql, dealership, { phone, firstName: "Cam" });
    const [conversation] =
      await sql`insert into public.conversations (dealership_id, lead_id) values (${dealership}, ${leadId}) returning id`;
    const [message] =
      await sql`insert into public.messages (id, dealership_id, conversation_id, lead_id, direction, body_enc, status, campaign_id)
      values (gen_random_uuid(), ${dealership}, ${conversation!.id}, ${leadId}, 'outbound', 'x', 'delivered', ${campaignId}) returning id`;
    await sql`insert into public.campaign_recipients (campaign_id, dealership_id, lead_id, status, message_id, sent_at)
      values (${campaignId}, ${dealership}, ${leadId}, 'delivered', ${message!.id}, now())`;
    return { phone, leadId };
  }
  const repliedAt = async (campaignId: string, leadId: string) =>
    (
      await sql`select replied_at from public.campaign_recipients where campaign_id = ${campaignId} and lead_id = ${leadId}`
    )[0]!.replied_at as Date | null;

  it("an auto-reply is not counted as a campaign reply, a real one is; the page breaks replies down by intent", async () => {
    const [campaign] = await sql`insert into public.campaigns (dealership_id, name, template, status, launched_at)
      values (${dealership}, 'Spring', 'Hi {first_name|there}', 'sending', now()) returning id`;
    const { phone, leadId } = await textedByCampaign(campaign!.id);
    const auto = await reply(phone, "I'm driving with Do Not Disturb turned on. I'll see your message later.");
    expect(auto.message).toMatchObject({ intent: "auto_reply", campaign_id: campaign!.id });
    expect(await repliedAt(campaign!.id, leadId)).toBeNull();
    await reply(phone, "yes still looking for a truck");
    expect(await repliedAt(campaign!.id, leadId)).not.toBeNull();
    // Staff say the "auto-reply" was a person: still counted once.
    await withUser(owner.claims, dealership, (scope) => correctReplyIntent(scope, auto.message.id, "other"));
    expect(await repliedAt(campaign!.id, leadId)).not.toBeNull();

    const another = await textedByCampaign(campaign!.id);
    const second = await reply(another.phone, "[Auto Reply] out of office until Monday");
    expect(await repliedAt(campaign!.id, another.leadId)).toBeNull();
    await withUser(owner.claims, dealership, (scope) => correctReplyIntent(scope, second.message.id, "question"));
    expect(await repliedAt(campaign!.id, another.leadId)).toEqual(second.message.created_at);

    const breakdown = await withUser(owner.claims, dealership, (scope) => campaignRepliesByIntent(scope, campaign!.id));
    expect(breakdown.byIntent.map((r) => [r.intent, r.replies])).toEqual([
      ["question", 1],
      ["interested", 1],
      ["other", 1],
    ]);
    expect(breakdown.autoReplies).toBe(0);
    // Another dealership sees none of it.
    const foreign = await withUser(otherOwner.claims, other, (scope) => campaignRepliesByIntent(scope, campaign!.id));
    expect(foreign.byIntent).toEqual([]);
  });

  it("a lead whose reply said wrong number or bought elsewhere is left out of the next campaigns, until corrected", async () => {
    const r = await reply(testLeadPhone(), "wrong number buddy");
    const reason = async () =>
      (
        await sql`select reason from private.campaign_audience(${dealership}, '{}'::jsonb) where lead_id = ${r.lead.id}`
      )[0]!.reason as string | null;
    expect(await reason()).toBe("reply_suppressed");
    await withUser(owner.claims, dealership, (scope) => correctReplyIntent(scope, r.message.id, "other"));
    expect(await reason()).not.toBe("reply_suppressed");
  });
});
