/**
 * Property (fast-check), driving the real worker against the real database and the Twilio
 * emulator with an injected clock: whatever the interleaving of drains, clock jumps, STOP
 * replies, do-not-contact additions, pauses and resumes, Twilio faults (429/5xx) and refused
 * numbers, and whatever the start time and the dealership's hours,
 *  - no message goes out outside the recipient's window (an oracle restating the rules for the
 *    area codes used), and its ValidityPeriod never reaches past the window;
 *  - no lead gets more than one message per campaign, nor two campaign messages within the
 *    dealership's 7 days (the second campaign's rows were enqueued behind the first's back);
 *  - no message goes to a lead after their STOP or their do-not-contact entry;
 *  - in the end nothing is lost: every row is settled, and each lead that was never blocked or
 *    refused got exactly one message per campaign.
 * Runs are bounded (20, a handful of leads and steps each) to keep the suite fast.
 */
import fc from "fast-check";
import type { Sql } from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { POST as inboundRoute } from "@/app/api/twilio/inbound/route";
import { POST as statusRoute } from "@/app/api/twilio/status/route";
import { addDoNotContact, addLead, asMember, launchTestCampaign, phoneIn } from "@/local-stack/campaign-fixtures";
import { adminSql, createDealership, createMember } from "@/local-stack/test-fixtures";
import { createSendingNumber } from "@/lib/sms/testing/messaging-fixtures";
import { emulatorRejectRecipient, emulatorSendInbound } from "@/local-stack/twilio/emulator-client";
import { startTwilioEmulator, type RunningTwilioEmulator } from "@/local-stack/twilio/server";
import { AppError } from "@/lib/server/app-error";
import { updateCampaignSettings } from "../campaign-settings";
import { pauseCampaign, resumeCampaign } from "../campaigns";
import type { DealershipSendHours } from "../send-window";
import { createCampaignGateway, type CampaignGateway } from "./campaign-gateway";
import { drainCampaignQueue } from "./drain";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

// The oracle: area code -> zone and [start, end) local minutes per weekday (0 = Sunday).
const PLACES: Record<string, { zone: string; window: (weekday: number) => [number, number] }> = {
  "312": { zone: "America/Chicago", window: () => [8 * 60, 21 * 60] }, // Illinois: 47 CFR 64.1200(c)(1)
  "305": { zone: "America/New_York", window: () => [8 * 60, 20 * 60] }, // Florida: Fla. Stat. 501.616(6)(a)
  "512": { zone: "America/Chicago", window: (d) => (d === 0 ? [12 * 60, 21 * 60] : [9 * 60, 21 * 60]) }, // Texas
  "808": { zone: "Pacific/Honolulu", window: () => [8 * 60, 21 * 60] }, // Hawaii: federal
  "206": { zone: "America/Los_Angeles", window: () => [8 * 60, 20 * 60] }, // Washington: RCW 80.36.390
};
const AREA_CODES = Object.keys(PLACES);

const HOURS: (DealershipSendHours | null)[] = [
  null,
  { start: "10:00", end: "18:00", days: [1, 2, 3, 4, 5] },
  { start: "09:00", end: "17:30", days: [0, 1, 2, 3, 4, 5, 6], timeZone: "America/New_York" },
];

function wall(t: number, zone: string): { weekday: number; minute: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      weekday: "short",
      hour: "numeric",
      minute: "numeric",
      hourCycle: "h23",
    })
      .formatToParts(new Date(t))
      .map((p) => [p.type, p.value]),
  );
  const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(parts.weekday!);
  return { weekday, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/** Is instant t inside every rule for a number of this area code, under these dealership hours? */
function allowed(t: number, areaCode: string, hours: DealershipSendHours | null): boolean {
  const place = PLACES[areaCode]!;
  const here = wall(t, place.zone);
  const [start, end] = place.window(here.weekday);
  if (here.minute < start || here.minute >= end) return false;
  if (!hours) return true;
  const there = hours.timeZone ? wall(t, hours.timeZone) : here;
  return (
    hours.days.includes(there.weekday) && there.minute >= toMinutes(hours.start) && there.minute < toMinutes(hours.end)
  );
}

type Step =
  | { kind: "drain" }
  | { kind: "advance"; minutes: number }
  | { kind: "stop"; lead: number }
  | { kind: "dnc"; lead: number }
  | { kind: "pause" | "resume"; campaign: 0 | 1 }
  | { kind: "fault"; mode: "429" | "500" | "503"; count: number }
  | { kind: "refuse"; lead: number; code: 21211 | 30006 | 21610 };

const LEADS = 4;
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ kind: "drain" as const }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant("advance" as const), minutes: fc.integer({ min: 1, max: 900 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("stop" as const), lead: fc.nat(LEADS - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("dnc" as const), lead: fc.nat(LEADS - 1) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom("pause" as const, "resume" as const),
      campaign: fc.constantFrom(0 as const, 1 as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("fault" as const),
      mode: fc.constantFrom("429" as const, "500" as const, "503" as const),
      count: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("refuse" as const),
      lead: fc.nat(LEADS - 1),
      code: fc.constantFrom(21211 as const, 30006 as const, 21610 as const),
    }),
  },
);

let sql: Sql;
let emu: RunningTwilioEmulator;
let gateway: CampaignGateway;

beforeAll(async () => {
  sql = adminSql();
  emu = await startTwilioEmulator({
    port: 0,
    accountSid: process.env.TWILIO_ACCOUNT_SID!,
    authToken: process.env.TWILIO_AUTH_TOKEN!,
    appBaseUrl: process.env.APP_BASE_URL!,
    callbackDelayMs: 1,
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

const ignoreConflict = (p: Promise<unknown>) =>
  p.catch((e: unknown) => {
    if (!(e instanceof AppError && e.code === "conflict")) throw e;
  });

async function run(startOffsetMinutes: number, hoursIndex: number, areaCodes: string[], steps: Step[]): Promise<void> {
  // A dealership per run: its own leads, campaigns and launch budget.
  const dealershipId = await createDealership(sql, "Property Motors");
  const [owner, manager, number] = await Promise.all([
    createMember(sql, dealershipId, "owner"),
    createMember(sql, dealershipId, "manager"),
    createSendingNumber(sql, dealershipId),
  ]);
  const d = { dealershipId, owner, manager, rep: manager, numberId: number.id, numberPhone: number.phone };
  const hours = HOURS[hoursIndex]!;
  if (hours) await asMember(owner, dealershipId, (s) => updateCampaignSettings(s, { sendHours: hours }));
  const leads = await Promise.all(areaCodes.map((ac) => addLead(sql, dealershipId, { phone: phoneIn(ac) })));
  const areaOf = new Map(leads.map((l, i) => [l.phone, areaCodes[i]!]));

  // Campaign A through the app; campaign B's rows put in behind its back (the same leads), so only
  // the worker and the database stand between a lead and a second message within 7 days.
  const a = await launchTestCampaign(d, { name: "A" });
  const [b] = await sql<{ id: string }[]>`
    insert into public.campaigns (dealership_id, name, sending_number_id, template, status, launched_at)
    values (${dealershipId}, 'B', ${number.id}, 'Second look, {first_name|there}?', 'sending', now()) returning id`;
  await sql`insert into public.campaign_recipients (campaign_id, dealership_id, lead_id)
    select ${b!.id}, ${dealershipId}, id from public.leads where dealership_id = ${dealershipId}`;
  const campaigns = [a, b!.id];

  let clock = Date.now() + DAY + startOffsetMinutes * MINUTE;
  const drain = () =>
    drainCampaignQueue({
      now: () => new Date(clock),
      deadlineMs: 10_000,
      gateway,
      throttle: false,
      dealershipIds: [dealershipId],
      log: () => {},
      random: () => 0.5,
    });
  const texts = () => [...emu.store.messages.values()].filter((m) => m.from === number.phone);
  const count = (phone: string) => texts().filter((m) => m.to === phone).length;
  /** Texts a lead had when it was blocked (STOP, do-not-contact): never more afterwards. */
  const blockedAt = new Map<string, number>();
  const refused = new Set<string>();
  const listed = new Set<string>();

  for (const step of steps) {
    switch (step.kind) {
      case "drain":
        await drain();
        break;
      case "advance":
        clock += step.minutes * MINUTE;
        break;
      case "stop": {
        const lead = leads[step.lead]!;
        await emulatorSendInbound(emu.url, { from: lead.phone, to: number.phone, body: "STOP" });
        if (!blockedAt.has(lead.phone)) blockedAt.set(lead.phone, count(lead.phone));
        break;
      }
      case "dnc": {
        const lead = leads[step.lead]!;
        if (listed.has(lead.phone)) break;
        listed.add(lead.phone);
        await addDoNotContact(sql, dealershipId, lead.phone);
        if (!blockedAt.has(lead.phone)) blockedAt.set(lead.phone, count(lead.phone));
        break;
      }
      case "pause":
        await ignoreConflict(asMember(manager, dealershipId, (s) => pauseCampaign(s, campaigns[step.campaign]!)));
        break;
      case "resume":
        await ignoreConflict(asMember(manager, dealershipId, (s) => resumeCampaign(s, campaigns[step.campaign]!)));
        break;
      case "fault":
        emu.store.fault = { mode: step.mode, remaining: step.count };
        break;
      case "refuse": {
        const lead = leads[step.lead]!;
        await emulatorRejectRecipient(emu.url, lead.phone, step.code);
        refused.add(lead.phone);
        break;
      }
    }
  }

  // Settle: no more faults, everything resumed, the clock moved on until nothing is left.
  emu.store.fault = { mode: "none", remaining: 0 };
  for (const c of campaigns) await ignoreConflict(asMember(manager, dealershipId, (s) => resumeCampaign(s, c)));
  for (let i = 0; i < 40; i++) {
    await drain();
    const [next] = await sql<{ at: Date | null }[]>`
      select min(next_attempt_at) as at from public.campaign_recipients
      where dealership_id = ${dealershipId} and status in ('queued', 'sending')`;
    if (!next?.at) break;
    clock = Math.max(clock + MINUTE, next.at.getTime());
  }
  await new Promise((r) => setTimeout(r, 30)); // the last status callbacks

  // The invariants.
  const rows = await sql<
    { campaign_id: string; lead_id: string; status: string; sent_at: Date | null; sid: string | null }[]
  >`
    select r.campaign_id, r.lead_id as lead_id, r.status, r.sent_at, m.twilio_sid as sid
    from public.campaign_recipients r left join public.messages m on m.id = r.message_id
    where r.dealership_id = ${dealershipId}`;
  const phoneOfLead = new Map(leads.map((l) => [l.id, l.phone]));
  const sentAtBySid = new Map(rows.filter((r) => r.sid).map((r) => [r.sid!, r]));
  for (const t of texts()) {
    const row = sentAtBySid.get(t.sid);
    expect(row, "every text is a recorded campaign message").toBeDefined();
    const at = row!.sent_at!.getTime();
    const area = areaOf.get(t.to)!;
    expect(allowed(at, area, hours), `sent inside the window (${new Date(at).toISOString()}, ${area})`).toBe(true);
    expect(t.validityPeriod).toBeGreaterThanOrEqual(1);
    expect(allowed(at + (t.validityPeriod! - 1) * 1000, area, hours), "ValidityPeriod ends inside the window").toBe(
      true,
    );
  }
  for (const lead of leads) {
    const mine = texts().filter((m) => m.to === lead.phone);
    if (blockedAt.has(lead.phone))
      expect(mine.length, "nothing after a STOP or do-not-contact").toBe(blockedAt.get(lead.phone));
    const sends = rows
      .filter((r) => phoneOfLead.get(r.lead_id) === lead.phone && r.sid)
      .map((r) => r.sent_at!.getTime())
      .sort((x, y) => x - y);
    expect(sends.length).toBe(mine.length);
    for (let i = 1; i < sends.length; i++) {
      expect(sends[i]! - sends[i - 1]!, "the dealership's cap: 1 campaign message per 7 days").toBeGreaterThanOrEqual(
        7 * DAY,
      );
    }
  }
  for (const c of campaigns) {
    const perLead = new Map<string, number>();
    for (const r of rows.filter((x) => x.campaign_id === c && x.sid))
      perLead.set(r.lead_id, (perLead.get(r.lead_id) ?? 0) + 1);
    for (const n of perLead.values()) expect(n).toBe(1);
  }
  // Nothing lost: every row settled; a lead never blocked or refused got each campaign's message.
  expect(rows.filter((r) => r.status === "queued" || r.status === "sending")).toEqual([]);
  for (const lead of leads) {
    if (blockedAt.has(lead.phone) || refused.has(lead.phone)) continue;
    for (const c of campaigns) {
      const row = rows.find((r) => r.campaign_id === c && r.lead_id === lead.id);
      expect(row?.status, "a lead nobody blocked got the message").toMatch(/^(sent|delivered)$/);
    }
  }
  for (const l of leads) emu.store.rejections.delete(l.phone);
}

it(
  "never outside the window, over a cap, or to an opted-out or do-not-contact lead; nothing lost",
  { timeout: 120_000 },
  async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 7 * 24 * 60 }),
        fc.nat(HOURS.length - 1),
        fc.array(fc.constantFrom(...AREA_CODES), { minLength: LEADS, maxLength: LEADS }),
        fc.array(stepArb, { minLength: 3, maxLength: 10 }),
        run,
      ),
      { numRuns: 20 },
    );
  },
);
