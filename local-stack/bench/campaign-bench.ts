/**
 * `tsx --conditions=react-server local-stack/bench/campaign-bench.ts [leads] [batch] [concurrency]`
 * (npm run bench:campaign). Not a test.
 *
 * On a fresh `bench` stack: a dealership with 50,000 leads that can be texted (area code 312,
 * names and phones encrypted as the app does) plus 1,000 suppressed ones (500 opted out, 500 on
 * the do-not-contact list).
 *  1. Enqueue: launchCampaign as the dealership's manager (the UI's path: the audience with every
 *     exclusion, one queue row per lead) against a plain INSERT ... SELECT of the same rows into
 *     the same table for another campaign (the Postgres baseline).
 *  2. Drain: drainCampaignQueue with throttling off against the Twilio emulator in a process of
 *     its own (twilio-emulator-child.ts; the real twilio SDK over HTTP; status callbacks answered
 *     by a no-op so only the send path is measured), on a clock set to 19:00 UTC (a minute every
 *     US window allows), against a plain multi-row INSERT of as many message rows (encrypted
 *     bodies) into public.messages.
 *  3. Counts: every lead exactly one message at the emulator and in the database, none to a
 *     suppressed lead.
 * The react-server condition makes `server-only` a no-op, as in Next.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { blindIndex } from "@/lib/crypto/blind-index";
import { encryptLeadPii } from "@/lib/leads/lead-fields";
import { encryptMessageBody } from "@/lib/sms/message-body";
import { stackConfig, LOCAL_SECRETS } from "@/local-stack/config";
import { startLocalStack } from "@/local-stack/stack";
import { createDealership, createMember } from "@/local-stack/test-fixtures";
import type { EmulatorMessage } from "@/local-stack/twilio/emulator-client";
import { cpuBetween, cpuSnapshot } from "./cpu-usage";

const [LEADS = 50_000, BATCH = 500, CONCURRENCY = 32] = process.argv.slice(2).map(Number);
const SUPPRESSED = 1_000;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const phoneOf = (i: number) => `+1312${2_000_000 + i}`;

async function main() {
  const stack = await startLocalStack(stackConfig("bench"), (m) => console.log(`[stack] ${m}`));
  const emulator = spawn(
    process.execPath,
    [...process.execArgv, path.join(import.meta.dirname, "twilio-emulator-child.ts")],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const emu = await new Promise<{ url: string }>((resolve, reject) => {
    let out = "";
    emulator.stdout.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(JSON.parse(out.split("\n")[0]!) as { url: string });
    });
    emulator.once("exit", (code) => reject(new Error(`the emulator exited (${code})`)));
  });
  Object.assign(process.env, stack.env, { TWILIO_API_BASE_URL: emu.url, DATABASE_POOL_MAX: "10" });
  // Imported after the environment is set: the pool and the keyring read it on first use.
  const { withUser } = await import("@/lib/db/scope");
  const { createCampaign, launchCampaign } = await import("@/lib/campaigns/campaigns");
  const { updateCampaignSettings } = await import("@/lib/campaigns/campaign-settings");
  const { drainCampaignQueue } = await import("@/lib/campaigns/worker/drain");
  const { createCampaignGateway } = await import("@/lib/campaigns/worker/campaign-gateway");
  const admin = postgres(stack.env.DATABASE_URL!, { max: 2, onnotice: () => {} });
  try {
    const dealershipId = await createDealership(admin, "Bench Motors");
    const [owner, manager] = await Promise.all([
      createMember(admin, dealershipId, "owner"),
      createMember(admin, dealershipId, "manager"),
    ]);
    const [number] = await admin<{ id: string; phone_number: string }[]>`
      insert into public.sending_numbers (dealership_id, phone_number) values (${dealershipId}, '+13125559999')
      returning id, phone_number`;
    await withUser(owner.claims, dealershipId, (s) =>
      updateCampaignSettings(s, { dailySendCap: 1_000_000, recentTextDays: 0 }),
    );

    console.log(`writing ${fmt(LEADS)} + ${fmt(SUPPRESSED)} suppressed leads (encrypted)…`);
    const total = LEADS + SUPPRESSED;
    for (let start = 0; start < total; start += 2000) {
      const rows = [];
      for (let i = start; i < Math.min(total, start + 2000); i++) {
        const id = randomUUID();
        const enc = encryptLeadPii({ firstName: `Lead${i}`, phone: phoneOf(i) }, dealershipId, id);
        rows.push({
          id,
          dealership_id: dealershipId,
          ...enc,
          phone_bidx: blindIndex("phone", phoneOf(i), dealershipId),
          consent_status: i >= LEADS && i < LEADS + SUPPRESSED / 2 ? "opted_out" : "unknown",
          status: i >= LEADS && i < LEADS + SUPPRESSED / 2 ? "opted_out" : "new",
        });
      }
      await admin`insert into public.leads ${admin(rows)}`;
    }
    const dnc = Array.from({ length: SUPPRESSED / 2 }, (_, k) => ({
      dealership_id: dealershipId,
      phone_bidx: blindIndex("phone", phoneOf(LEADS + SUPPRESSED / 2 + k), dealershipId),
      source: "manual",
    }));
    await admin`insert into public.do_not_contact ${admin(dnc)}`;
    await admin`analyze public.leads`;

    // 1. Enqueue.
    const { campaignId, launched, enqueueMs } = await withUser(manager.claims, dealershipId, async (scope) => {
      const { id } = await createCampaign(scope, {
        name: "Bench",
        sendingNumberId: number!.id,
        template: "Hi {first_name|there}, your trade-in offer from {dealer_name} is ready. Reply YES for details.",
        audience: {},
      });
      const t0 = performance.now();
      const result = await launchCampaign(scope, { campaignId: id, idempotencyKey: randomUUID().replaceAll("-", "") });
      return { campaignId: id, launched: result, enqueueMs: performance.now() - t0 };
    });
    const [baselineCampaign] = await admin<{ id: string }[]>`
      insert into public.campaigns (dealership_id, name, sending_number_id, template) values (${dealershipId}, 'Baseline', ${number!.id}, 'x')
      returning id`;
    const b0 = performance.now();
    await admin`
      insert into public.campaign_recipients (campaign_id, dealership_id, lead_id, status, skip_reason)
      select ${baselineCampaign!.id}, dealership_id, id,
             case when consent_status = 'opted_out' then 'skipped' else 'queued' end::public.campaign_recipient_status,
             case when consent_status = 'opted_out' then 'opted_out' end
      from public.leads where dealership_id = ${dealershipId}`;
    const enqueueBaselineMs = performance.now() - b0;
    await admin`delete from public.campaign_recipients where campaign_id = ${baselineCampaign!.id}`;
    await admin`analyze public.campaign_recipients`;
    console.log(
      `enqueue: ${fmt(launched.enqueued)} queued, excluded ${JSON.stringify(Object.fromEntries(Object.entries(launched.excluded).filter(([, n]) => n > 0)))} ` +
        `in ${(enqueueMs / 1000).toFixed(2)} s = ${fmt(((launched.enqueued + SUPPRESSED) / enqueueMs) * 1000)} rows/s`,
    );
    console.log(
      `baseline: plain INSERT ... SELECT of the same ${fmt(total)} rows: ${(enqueueBaselineMs / 1000).toFixed(2)} s = ` +
        `${fmt((total / enqueueBaselineMs) * 1000)} rows/s (launch = ${(enqueueMs / enqueueBaselineMs).toFixed(1)}× baseline)`,
    );

    // 2. Drain, on a clock inside every US window.
    const clock = new Date(Date.now() + 86_400_000);
    clock.setUTCHours(19, 0, 0, 0);
    const started = Date.now();
    const now = () => new Date(clock.getTime() + (Date.now() - started));
    const gateway = createCampaignGateway({
      accountSid: LOCAL_SECRETS.twilioAccountSid,
      authToken: LOCAL_SECRETS.twilioAuthToken,
      apiBaseUrl: emu.url,
    });
    const cpu0 = cpuSnapshot();
    const d0 = performance.now();
    const stats = await drainCampaignQueue({
      now,
      deadlineMs: 15 * 60_000,
      gateway,
      throttle: false,
      batchSize: BATCH,
      concurrency: CONCURRENCY,
      dealershipIds: [dealershipId],
      log: () => {},
    });
    const drainMs = performance.now() - d0;
    const cpu = cpuBetween(cpu0, cpuSnapshot());
    console.log(
      `drain: ${fmt(stats.sent)} sent, ${stats.failed} failed, ${stats.postponed} postponed in ${(drainMs / 1000).toFixed(2)} s = ` +
        `${fmt((stats.sent / drainMs) * 1000)} msgs/s (batch ${BATCH}, ${CONCURRENCY} in flight; ${cpu.ours} of ${cpu.cores} cores busy with this process and the emulator, ${cpu.others} with the rest: Postgres (a daemon) and anything else)`,
    );

    // Baseline: a plain insert of as many message rows.
    const [conv] = await admin<{ id: string }[]>`
      select id from public.conversations where dealership_id = ${dealershipId} limit 1`;
    const [anyLead] = await admin<{ lead_id: string }[]>`
      select lead_id from public.conversations where id = ${conv!.id}`;
    const messageRows = Array.from({ length: stats.sent }, () => {
      const id = randomUUID();
      return {
        id,
        dealership_id: dealershipId,
        conversation_id: conv!.id,
        lead_id: anyLead!.lead_id,
        direction: "outbound",
        body_enc: encryptMessageBody(
          "Hi Lead, your trade-in offer from Bench Motors is ready. Reply YES for details.",
          dealershipId,
          id,
        ),
        status: "queued",
        segments: 1,
      };
    });
    const m0 = performance.now();
    for (let i = 0; i < messageRows.length; i += 5000) {
      await admin`insert into public.messages ${admin(messageRows.slice(i, i + 5000))}`;
    }
    const drainBaselineMs = performance.now() - m0;
    await admin`delete from public.messages where conversation_id = ${conv!.id} and campaign_id is null and direction = 'outbound'`;
    console.log(
      `baseline: plain INSERT of ${fmt(messageRows.length)} message rows: ${(drainBaselineMs / 1000).toFixed(2)} s = ` +
        `${fmt((messageRows.length / drainBaselineMs) * 1000)} rows/s (drain = ${(drainMs / drainBaselineMs).toFixed(1)}× baseline)`,
    );

    // 3. Counts.
    const listed = await fetch(
      new URL(`/__emulator/messages?from=${encodeURIComponent(number!.phone_number)}`, emu.url),
    );
    const texts = ((await listed.json()) as { messages: EmulatorMessage[] }).messages;
    const perPhone = new Map<string, number>();
    for (const t of texts) perPhone.set(t.to, (perPhone.get(t.to) ?? 0) + 1);
    let missing = 0;
    let doubled = 0;
    for (let i = 0; i < LEADS; i++) {
      const n = perPhone.get(phoneOf(i)) ?? 0;
      if (n === 0) missing++;
      if (n > 1) doubled++;
    }
    let toSuppressed = 0;
    for (let i = LEADS; i < total; i++) toSuppressed += perPhone.get(phoneOf(i)) ?? 0;
    const [db] = await admin<{ leads: number; messages: number; max_per_lead: number; suppressed: number }[]>`
      with m as (
        select lead_id, count(*)::int as n from public.messages
        where campaign_id = ${campaignId} and direction = 'outbound' group by lead_id
      )
      select count(*)::int as leads, coalesce(sum(n), 0)::int as messages, coalesce(max(n), 0)::int as max_per_lead,
             (select count(*)::int from m join public.leads l on l.id = m.lead_id
               where l.consent_status = 'opted_out' or exists (select 1 from public.do_not_contact d
                 where d.dealership_id = l.dealership_id and d.phone_bidx = l.phone_bidx)) as suppressed
      from m`;
    const ok =
      missing === 0 &&
      doubled === 0 &&
      toSuppressed === 0 &&
      db!.leads === LEADS &&
      db!.max_per_lead === 1 &&
      db!.suppressed === 0;
    console.log(
      `counts: emulator ${fmt(texts.length)} texts, ${missing} leads missed, ${doubled} texted twice, ${toSuppressed} to suppressed leads; ` +
        `database ${fmt(db!.messages)} messages to ${fmt(db!.leads)} leads, at most ${db!.max_per_lead} per lead, ${db!.suppressed} to suppressed leads: ${ok ? "OK" : "FAILED"}`,
    );
    console.log(
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${fmt(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    await admin.end();
    const { pool } = await import("@/lib/db/pool");
    await pool().end();
    emulator.kill("SIGTERM");
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
