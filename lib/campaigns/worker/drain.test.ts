/**
 * The send worker against the real database and the Twilio emulator (through the real twilio SDK),
 * whose signed status callbacks and inbound messages go to the real route handlers. The clock is
 * injected: a Wednesday ahead of now, 16:00 UTC (11:00 in Chicago, area code 312).
 */
import type { Sql } from "postgres";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as inboundRoute } from "@/app/api/twilio/inbound/route";
import { POST as statusRoute } from "@/app/api/twilio/status/route";
import {
  addDoNotContact,
  addLead,
  asMember,
  campaignDealership,
  launchTestCampaign,
  nextWednesdayUtc,
  phoneIn,
  type CampaignDealership,
} from "@/local-stack/campaign-fixtures";
import { adminSql } from "@/local-stack/test-fixtures";
import { emulatorRejectRecipient, emulatorSendInbound } from "@/local-stack/twilio/emulator-client";
import { startTwilioEmulator, type RunningTwilioEmulator } from "@/local-stack/twilio/server";
import { campaignReplies, getCampaign } from "../campaign-queries";
import { updateCampaignSettings } from "../campaign-settings";
import { pauseCampaign, resumeCampaign } from "../campaigns";
import { createCampaignGateway, type CampaignGateway } from "./campaign-gateway";
import { drainCampaignQueue, type DrainOptions } from "./drain";

let sql: Sql;
let emu: RunningTwilioEmulator;
let gateway: CampaignGateway;
let clock: Date;

beforeAll(async () => {
  sql = adminSql();
  emu = await startTwilioEmulator({
    port: 0,
    accountSid: process.env.TWILIO_ACCOUNT_SID!,
    authToken: process.env.TWILIO_AUTH_TOKEN!,
    appBaseUrl: process.env.APP_BASE_URL!,
    callbackDelayMs: 5,
    log: () => {},
    dispatch: (url, init) =>
      (new URL(url).pathname === "/api/twilio/status" ? statusRoute : inboundRoute)(new Request(url, init)),
  });
  gateway = createCampaignGateway({
    accountSid: process.env.TWILIO_ACCOUNT_SID!,
    authToken: process.env.TWILIO_AUTH_TOKEN!,
    apiBaseUrl: emu.url,
  });
});

afterAll(async () => {
  await emu?.stop();
  await sql?.end();
});

beforeEach(() => {
  clock = nextWednesdayUtc(16);
});

const drain = (d: CampaignDealership, extra: Partial<DrainOptions> = {}) =>
  drainCampaignQueue({
    now: () => clock,
    deadlineMs: 10_000,
    gateway,
    throttle: false,
    dealershipIds: [d.dealershipId],
    log: () => {},
    random: () => 0.5,
    ...extra,
  });

const toPhone = (phone: string) => [...emu.store.messages.values()].filter((m) => m.to === phone);

async function until<T>(fn: () => Promise<T | undefined | false>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

const rowsOf = (campaignId: string) =>
  sql<
    {
      lead_id: string;
      status: string;
      skip_reason: string | null;
      postponed_reason: string | null;
      next_attempt_at: Date;
      error_code: number | null;
      failure_kind: string | null;
    }[]
  >`
    select lead_id, status, skip_reason, postponed_reason, next_attempt_at, error_code, failure_kind
    from public.campaign_recipients where campaign_id = ${campaignId}`;

describe("sending a campaign", () => {
  it("texts every eligible lead once, footer on a first message, ValidityPeriod = the window left; callbacks deliver", async () => {
    const d = await campaignDealership(sql, "Drain Motors");
    const maria = await addLead(sql, d.dealershipId, { firstName: "Maria" });
    const omar = await addLead(sql, d.dealershipId, { firstName: "Omar" });
    const campaignId = await launchTestCampaign(d, { template: "Hi {first_name}, {dealer_name} here." });
    const stats = await drain(d);
    expect(stats).toMatchObject({ sent: 2, failed: 0, stoppedBy: "idle" });
    const [m] = toPhone(maria.phone);
    expect(toPhone(maria.phone)).toHaveLength(1);
    expect(m!.body).toMatch(/^Hi Maria, Drain Motors \w+ here\.\nReply STOP to opt out$/);
    expect(m!.from).toBe(d.numberPhone);
    // 11:00 in Chicago; the federal window closes at 21:00: 10 hours left, capped at Twilio's 4.
    expect(m!.validityPeriod).toBe(14_400);
    expect(toPhone(omar.phone)).toHaveLength(1);
    await until(async () => (await rowsOf(campaignId)).every((r) => r.status === "delivered"));
    const [msg] = await sql`select campaign_id, status, twilio_sid from public.messages where lead_id = ${maria.id}`;
    expect(msg).toMatchObject({ campaign_id: campaignId, status: "delivered", twilio_sid: m!.sid });
    // A second drain finds nothing to do and completes the campaign.
    expect((await drain(d)).sent).toBe(0);
    const [c] = await sql`select status from public.campaigns where id = ${campaignId}`;
    expect(c!.status).toBe("completed");
  });

  it("validity is the seconds left in the window when less than 4 hours remain", async () => {
    const d = await campaignDealership(sql, "Evening Motors");
    const lead = await addLead(sql, d.dealershipId);
    await launchTestCampaign(d);
    clock = nextWednesdayUtc(0, 30); // 19:30 in Chicago (CDT) or 18:30 (CST): window ends 21:00 local
    await drain(d);
    const [m] = toPhone(lead.phone);
    // 21:00 in Chicago is 1.5 hours away in summer (19:30 CDT), 2.5 in winter (18:30 CST).
    expect([5_400, 9_000]).toContain(m!.validityPeriod);
  });

  it("outside the window nothing goes out: postponed to the first allowed minute, then sent", async () => {
    const d = await campaignDealership(sql, "Night Motors");
    const lead = await addLead(sql, d.dealershipId);
    const campaignId = await launchTestCampaign(d);
    clock = nextWednesdayUtc(7); // 02:00 or 01:00 in Chicago
    const stats = await drain(d);
    expect(stats).toMatchObject({ sent: 0, postponed: 1 });
    expect(toPhone(lead.phone)).toHaveLength(0);
    const [row] = await rowsOf(campaignId);
    expect(row).toMatchObject({ status: "queued", postponed_reason: "outside_window" });
    // 08:00 in Chicago: 13:00 UTC in summer, 14:00 in winter.
    expect([13, 14]).toContain(row!.next_attempt_at.getUTCHours());
    clock = new Date(row!.next_attempt_at.getTime() + 60_000);
    expect((await drain(d)).sent).toBe(1);
    expect(toPhone(lead.phone)).toHaveLength(1);
  });

  it("a lead who opts out or is put on the do-not-contact list after the launch is skipped, not texted", async () => {
    const d = await campaignDealership(sql, "Stop Motors");
    const stops = await addLead(sql, d.dealershipId);
    const dnc = await addLead(sql, d.dealershipId);
    const ok = await addLead(sql, d.dealershipId);
    const campaignId = await launchTestCampaign(d);
    await emulatorSendInbound(emu.url, { from: stops.phone, to: d.numberPhone, body: "STOP" });
    await addDoNotContact(sql, d.dealershipId, dnc.phone);
    await drain(d);
    expect(toPhone(stops.phone).filter((m) => m.direction === "outbound-api")).toHaveLength(0);
    expect(toPhone(dnc.phone)).toHaveLength(0);
    expect(toPhone(ok.phone)).toHaveLength(1);
    const rows = new Map((await rowsOf(campaignId)).map((r) => [r.lead_id, r]));
    expect(rows.get(stops.id)).toMatchObject({ status: "skipped", skip_reason: "opted_out" });
    expect(rows.get(dnc.id)).toMatchObject({ status: "skipped", skip_reason: "do_not_contact" });
  });

  it("one bad number fails alone (phone marked), 21610 opts the lead out, the rest go out", async () => {
    const d = await campaignDealership(sql, "Bad Number Motors");
    const invalid = await addLead(sql, d.dealershipId);
    const landline = await addLead(sql, d.dealershipId);
    const stopped = await addLead(sql, d.dealershipId);
    const fine = await Promise.all([0, 1, 2].map(() => addLead(sql, d.dealershipId)));
    await emulatorRejectRecipient(emu.url, invalid.phone, 21211);
    await emulatorRejectRecipient(emu.url, landline.phone, 21614);
    await emulatorRejectRecipient(emu.url, stopped.phone, 21610);
    const campaignId = await launchTestCampaign(d);
    const stats = await drain(d);
    expect(stats).toMatchObject({ sent: 3, failed: 3 });
    for (const f of fine) expect(toPhone(f.phone)).toHaveLength(1);
    const rows = new Map((await rowsOf(campaignId)).map((r) => [r.lead_id, r]));
    expect(rows.get(invalid.id)).toMatchObject({ status: "failed", error_code: 21211, failure_kind: "permanent" });
    expect(rows.get(stopped.id)).toMatchObject({ status: "failed", error_code: 21610, failure_kind: "opt_out" });
    const leads =
      await sql`select id, phone_mark, consent_status from public.leads where id in ${sql([invalid.id, landline.id, stopped.id])}`;
    const byId = new Map(leads.map((l) => [l.id, l]));
    expect(byId.get(invalid.id)).toMatchObject({ phone_mark: "invalid" });
    expect(byId.get(landline.id)).toMatchObject({ phone_mark: "not_sms_capable" });
    expect(byId.get(stopped.id)).toMatchObject({ consent_status: "opted_out", phone_mark: null });
  });

  it("a landline reported by a status callback (30006) fails the row and marks the phone", async () => {
    const d = await campaignDealership(sql, "Landline Motors");
    const lead = await addLead(sql, d.dealershipId);
    const campaignId = await launchTestCampaign(d);
    await fetch(new URL("/__emulator/outcomes", emu.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ to: lead.phone, status: "undelivered", errorCode: 30006 }),
    });
    await drain(d);
    await until(async () => (await rowsOf(campaignId))[0]!.status === "failed");
    expect((await rowsOf(campaignId))[0]).toMatchObject({ error_code: 30006, failure_kind: "permanent" });
    const [l] = await sql`select phone_mark, phone_mark_code from public.leads where id = ${lead.id}`;
    expect(l).toEqual({ phone_mark: "landline", phone_mark_code: 30006 });
  });

  it("Twilio's 429 puts the row back with backoff; a later drain sends it once", async () => {
    const d = await campaignDealership(sql, "Busy Motors");
    const lead = await addLead(sql, d.dealershipId);
    const campaignId = await launchTestCampaign(d);
    emu.store.fault = { mode: "429", remaining: 1 };
    const first = await drain(d);
    expect(first).toMatchObject({ sent: 0, retried: 1 });
    const [row] = await rowsOf(campaignId);
    expect(row).toMatchObject({ status: "queued", postponed_reason: "retry", error_code: 20429 });
    // Equal jitter with random 0.5: 30 s * (1/2 + 1/4) after the first attempt.
    expect(row!.next_attempt_at.getTime() - clock.getTime()).toBe(22_500);
    const messages = await sql`select id from public.messages where lead_id = ${lead.id}`;
    expect(messages).toHaveLength(0); // the pending message of the refused attempt is gone
    clock = new Date(clock.getTime() + 60_000);
    expect((await drain(d)).sent).toBe(1);
    expect(toPhone(lead.phone)).toHaveLength(1);
  });

  it("a sender Twilio refuses pauses the campaign with the reason; the rows wait in the queue", async () => {
    const d = await campaignDealership(sql, "Refused Motors");
    const leads = await Promise.all([0, 1].map(() => addLead(sql, d.dealershipId)));
    for (const l of leads) await emulatorRejectRecipient(emu.url, l.phone, 21606);
    const campaignId = await launchTestCampaign(d);
    const stats = await drain(d);
    expect(stats.autoPaused).toBe(1);
    const c = await asMember(d.manager, d.dealershipId, (s) => getCampaign(s, campaignId));
    expect(c).toMatchObject({ status: "paused", progress: { queued: 2, sent: 0, failed: 0 } });
    expect(c!.pauseReason).toMatch(/^Paused automatically: The sending number cannot send SMS \(21606\)/);
    const [audit] =
      await sql`select action, metadata from public.audit_events where target_id = ${campaignId} and action = 'campaign.auto_paused'`;
    expect(audit!.metadata).toEqual({ metric: "sender" });
  });

  it("auto-pauses when the failure rate crosses the dealership's threshold, and judges afresh after a resume", async () => {
    const d = await campaignDealership(sql, "Failing Motors");
    await asMember(d.owner, d.dealershipId, (s) =>
      updateCampaignSettings(s, { autoPause: { minSample: 5, maxFailureRate: 0.2 } }),
    );
    const bad = await Promise.all([0, 1, 2].map(() => addLead(sql, d.dealershipId)));
    for (const l of bad) await emulatorRejectRecipient(emu.url, l.phone, 21211);
    for (let i = 0; i < 5; i++) await addLead(sql, d.dealershipId);
    const campaignId = await launchTestCampaign(d);
    const stats = await drain(d, { batchSize: 4 });
    expect(stats.autoPaused).toBe(1);
    const c = await asMember(d.manager, d.dealershipId, (s) => getCampaign(s, campaignId));
    expect(c!.status).toBe("paused");
    expect(c!.pauseReason).toMatch(/^Paused automatically: \d of \d+ messages \(\d+\.\d%\) failed\./);
    // A resume starts a new sample: the remaining rows go out.
    await asMember(d.manager, d.dealershipId, (s) => resumeCampaign(s, campaignId));
    await drain(d);
    const after = await asMember(d.manager, d.dealershipId, (s) => getCampaign(s, campaignId));
    expect(after!.progress).toMatchObject({ queued: 0, failed: 3 });
    expect(after!.progress.sent + after!.progress.delivered).toBe(5);
  });

  it("a paused campaign sends nothing until resumed", async () => {
    const d = await campaignDealership(sql, "Pause Motors");
    const lead = await addLead(sql, d.dealershipId);
    const campaignId = await launchTestCampaign(d);
    await asMember(d.manager, d.dealershipId, (s) => pauseCampaign(s, campaignId));
    expect((await drain(d)).sent).toBe(0);
    expect(toPhone(lead.phone)).toHaveLength(0);
    await asMember(d.manager, d.dealershipId, (s) => resumeCampaign(s, campaignId));
    expect((await drain(d)).sent).toBe(1);
  });

  it("holds the dealership's frequency cap across campaigns and its daily cap", async () => {
    const d = await campaignDealership(sql, "Cap Motors");
    await asMember(d.owner, d.dealershipId, (s) => updateCampaignSettings(s, { recentTextDays: 0, dailySendCap: 2 }));
    const leads = await Promise.all([0, 1, 2].map(() => addLead(sql, d.dealershipId)));
    const first = await launchTestCampaign(d, { name: "First" });
    const stats = await drain(d);
    expect(stats.sent).toBe(2); // the daily cap
    clock = new Date(clock.getTime() + 25 * 3_600_000); // Thursday 16:00 UTC: the 24 hours have passed
    expect((await drain(d)).sent).toBe(1);
    for (const l of leads) expect(toPhone(l.phone)).toHaveLength(1);
    await sql`update public.campaigns set status = 'completed' where id = ${first}`;
    // A second campaign for the same leads: at most 1 campaign message per 7 days per lead.
    const second = await launchTestCampaign(d, { name: "Second" });
    clock = new Date(clock.getTime() + 24 * 3_600_000);
    const capped = await drain(d);
    expect(capped).toMatchObject({ sent: 0, postponed: 3 });
    const rows = await rowsOf(second);
    expect(rows.every((r) => r.status === "queued" && r.postponed_reason === "frequency_cap")).toBe(true);
  });

  it("paces sends per sending number at the dealership's rate", async () => {
    const d = await campaignDealership(sql, "Paced Motors");
    await asMember(d.owner, d.dealershipId, (s) => updateCampaignSettings(s, { perNumberPerSecond: 10 }));
    const leads = await Promise.all(
      [0, 1, 2, 3, 4, 5].map(() => addLead(sql, d.dealershipId, { phone: phoneIn("312") })),
    );
    await launchTestCampaign(d);
    const started = Date.now();
    await drain(d, { throttle: true, now: () => new Date(clock.getTime() + (Date.now() - started)) });
    const times = leads.map((l) => toPhone(l.phone)[0]!.dateCreated.getTime()).sort((a, b) => a - b);
    expect(times[5]! - times[0]!).toBeGreaterThanOrEqual(450); // 6 sends at 10/s: 5 gaps of 100 ms
  });
});

describe("replies and opt-outs count for the campaign", () => {
  it("a reply is attributed, listed with the lead's name and linked; a STOP counts as an opt-out", async () => {
    const d = await campaignDealership(sql, "Reply Motors");
    const ana = await addLead(sql, d.dealershipId, { firstName: "Ana", lastName: "Ruiz" });
    const ben = await addLead(sql, d.dealershipId, { firstName: "Ben" });
    const campaignId = await launchTestCampaign(d);
    await drain(d);
    await emulatorSendInbound(emu.url, { from: ana.phone, to: d.numberPhone, body: "Yes, is it still available?" });
    await emulatorSendInbound(emu.url, { from: ben.phone, to: d.numberPhone, body: "STOP" });
    const replies = await asMember(d.manager, d.dealershipId, (s) => campaignReplies(s, campaignId));
    expect(replies.map((r) => [r.name, r.preview, r.optedOut])).toEqual([
      ["Ben", "STOP", true],
      ["Ana Ruiz", "Yes, is it still available?", false],
    ]);
    expect(replies[1]!.leadId).toBe(ana.id);
    const c = await asMember(d.rep, d.dealershipId, (s) => getCampaign(s, campaignId));
    expect(c!.progress).toMatchObject({ replied: 2, optedOut: 1 });
  });
});
