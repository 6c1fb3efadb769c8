/**
 * A worker killed mid-campaign and restarted sends nothing twice and loses nothing. The worker is
 * a real process (local-stack/campaign-worker.ts, as `npm run dev` runs it) on the test database
 * and this file's Twilio emulator; it is killed with SIGKILL while a batch is half sent (its
 * messages are written 'pending', Twilio has some, the worker has recorded none), twice, then
 * restarted after the leases expire. Status callbacks are dropped, so only the reconciliation
 * against Twilio's message list can tell which pending messages Twilio already has.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { Sql } from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  addLead,
  asMember,
  campaignDealership,
  launchTestCampaign,
  type CampaignDealership,
} from "@/local-stack/campaign-fixtures";
import { adminSql } from "@/local-stack/test-fixtures";
import { startTwilioEmulator, type RunningTwilioEmulator } from "@/local-stack/twilio/server";
import { updateCampaignSettings } from "../campaign-settings";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const LEADS = 30;
// Long enough that a live worker never loses a lease on a loaded machine; a dead one's are expired below.
const LEASE_SECONDS = 30;

let sql: Sql;
let emu: RunningTwilioEmulator;
let d: CampaignDealership;

beforeAll(async () => {
  sql = adminSql();
  emu = await startTwilioEmulator({
    port: 0,
    accountSid: process.env.TWILIO_ACCOUNT_SID!,
    authToken: process.env.TWILIO_AUTH_TOKEN!,
    appBaseUrl: process.env.APP_BASE_URL!,
    callbackDelayMs: 5,
    log: () => {},
    // The app's status route is "down": callbacks never link a sid.
    dispatch: async () => new Response(null, { status: 503 }),
  });
  d = await campaignDealership(sql, "Crash Motors");
  await asMember(d.owner, d.dealershipId, (s) => updateCampaignSettings(s, { perNumberPerSecond: 30 }));
});

afterAll(async () => {
  await emu?.stop();
  await sql?.end();
});

function startWorker(exitWhenIdle: boolean): ChildProcess {
  // node itself with tsx's loader (the tsx CLI would run the script in a grandchild a kill misses).
  return spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", path.join(ROOT, "local-stack/campaign-worker.ts")],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        TWILIO_API_BASE_URL: emu.url,
        CAMPAIGN_WORKER_CLOCK: "daytime",
        CAMPAIGN_WORKER_DEALERSHIPS: d.dealershipId,
        CAMPAIGN_WORKER_LEASE_SECONDS: String(LEASE_SECONDS),
        CAMPAIGN_WORKER_EXIT_WHEN_IDLE: exitWhenIdle ? "1" : "0",
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
}

const sentBy = () => [...emu.store.messages.values()].filter((m) => m.from === d.numberPhone).length;

async function until(fn: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", (code) => resolve(code)),
  );

/** The killed worker's leases run out: what LEASE_SECONDS of waiting would do, at once. */
async function expireLeases(campaignId: string): Promise<void> {
  const [row] = await sql<{ leased: number }[]>`
    with expired as (
      update public.campaign_recipients set lease_expires_at = now() - interval '1 second'
      where campaign_id = ${campaignId} and lease_expires_at > now() - interval '1 second'
      returning 1)
    select count(*)::int as leased from expired`;
  // The kill came mid-batch: the dead worker held leases.
  expect(row!.leased).toBeGreaterThan(0);
}

async function killWhenSent(atLeast: number): Promise<void> {
  const worker = startWorker(false);
  await until(() => sentBy() >= atLeast, 20_000);
  worker.kill("SIGKILL");
  await exited(worker);
}

it("a worker SIGKILLed mid-batch and restarted texts every lead exactly once", { timeout: 60_000 }, async () => {
  const leads = await Promise.all(Array.from({ length: LEADS }, () => addLead(sql, d.dealershipId)));
  const campaignId = await launchTestCampaign(d);

  await killWhenSent(8);
  // Killed between Twilio's answers and the batch's results: pending messages, no sids recorded.
  const [mid] = await sql<{ sending: number; with_sid: number }[]>`
    select count(*) filter (where r.status = 'sending')::int as sending,
           count(m.twilio_sid)::int as with_sid
    from public.campaign_recipients r left join public.messages m on m.id = r.message_id
    where r.campaign_id = ${campaignId}`;
  expect(mid!.sending).toBeGreaterThan(0);
  expect(mid!.with_sid).toBe(0);
  const sentBeforeRestart = sentBy();
  expect(sentBeforeRestart).toBeLessThan(LEADS);

  // Restarted after the leases expired, and killed again mid-run. The dead worker's leases are
  // ended by moving them into the past (as waiting out LEASE_SECONDS would, without the wait).
  await expireLeases(campaignId);
  await killWhenSent(Math.min(LEADS - 4, sentBeforeRestart + 8));
  await expireLeases(campaignId);

  // The last run goes to the end.
  const last = startWorker(true);
  expect(await exited(last)).toBe(0);

  const texts = [...emu.store.messages.values()].filter((m) => m.from === d.numberPhone);
  for (const lead of leads) expect(texts.filter((m) => m.to === lead.phone)).toHaveLength(1);
  expect(texts).toHaveLength(LEADS);
  const rows = await sql<{ status: string; sid: string | null; messages: number }[]>`
    select r.status, m.twilio_sid as sid,
           (select count(*)::int from public.messages x where x.lead_id = r.lead_id) as messages
    from public.campaign_recipients r left join public.messages m on m.id = r.message_id
    where r.campaign_id = ${campaignId}`;
  expect(rows).toHaveLength(LEADS);
  for (const r of rows) {
    expect(r).toMatchObject({ status: "sent", messages: 1 });
    expect(texts.some((t) => t.sid === r.sid)).toBe(true);
  }
});
