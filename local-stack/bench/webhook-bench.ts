/**
 * `npm run bench:webhook [-- --count=8000 --concurrency=16 --seconds=30]`
 *
 * Not a test. Needs a production build (`next build`). Starts a fresh `bench` stack (seeded demo
 * data), runs `next start` on it (loopback), then:
 *  1. warms both routes up;
 *  2. baseline: GET /api/health (no database) at the same concurrency;
 *  3. sustained signed inbound webhooks to POST /api/twilio/inbound: distinct MessageSids (every
 *     50th request is a Twilio-style retry of an earlier one), many senders (demo leads and
 *     unknown numbers, which become new leads), To = Northside's sending numbers;
 *  4. counts rows in public.messages and public.leads: every accepted sid stored exactly once,
 *     every unknown sender exactly one new lead.
 *
 * The per-number rate limit (100 inbound/min per sending number) stays on. A benchmark through
 * one number would only measure 429s, so the bench database gives Northside BENCH_NUMBERS extra
 * sending numbers and the load cycles through them, keeping each under its limit: the same
 * code path, rate-limit bookkeeping included, as a dealership with that many numbers.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { LOCAL_SECRETS, stackConfig } from "../config";
import { cpuBetween, cpuSnapshot } from "./cpu-usage";
import { DEMO_DEALERSHIPS } from "../seed/demo";
import { startLocalStack } from "../stack";
import { runLoad, type LoadResult, type PreparedRequest } from "./http-load";
import { signedInboundRequests } from "./signed-inbound";

const ROOT = path.resolve(import.meta.dirname, "../..");
const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const COUNT = arg("count", 8000);
const CONCURRENCY = arg("concurrency", 16);
const MAX_SECONDS = arg("seconds", 30);
const WARMUP = 400;
const BENCH_NUMBERS = 200;
const NEW_SENDERS = 400;
const log = (m: string) => console.log(`[bench] ${m}`);

async function waitForHealth(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("next start did not answer /api/health within 60 s");
}

/** Northside's id, its extra bench numbers (plus the demo one), and its demo leads' phones. */
async function prepareDealership(sql: postgres.Sql): Promise<{ dealershipId: string; numbers: string[] }> {
  const northside = DEMO_DEALERSHIPS[0];
  const [d] = await sql`select id from public.dealerships where name = ${northside.name}`;
  const dealershipId = d!.id as string;
  // +1 312 556 0000…0199: clear of the demo number (555-0000), the demo leads (555-01xx) and the senders (557-xxxx).
  const extra = Array.from({ length: BENCH_NUMBERS }, (_, i) => `+1312556${String(i).padStart(4, "0")}`);
  await sql`insert into public.sending_numbers ${sql(extra.map((phone_number) => ({ dealership_id: dealershipId, phone_number, label: "bench" })))}`;
  return { dealershipId, numbers: [northside.sendingNumber, ...extra] };
}

function report(name: string, r: LoadResult & { cpu: ReturnType<typeof cpuBetween> }) {
  const statuses = Object.entries(r.statuses)
    .map(([s, n]) => `${s}×${n}`)
    .join(" ");
  log(
    `${name.padEnd(8)} ${r.sent} requests in ${r.seconds} s = ${r.perSecond} req/s · p50 ${r.latencyMs.p50} ms · p95 ${r.latencyMs.p95} ms · p99 ${r.latencyMs.p99} ms · max ${r.latencyMs.max} ms · ${statuses}${r.errors ? ` · ${r.errors} errors` : ""}`,
  );
  log(
    `${"".padEnd(8)} CPU: this benchmark ${r.cpu.ours} cores, other processes ${r.cpu.others} cores (of ${r.cpu.cores})`,
  );
  if (r.cpu.others > 0.25)
    log(
      `${"".padEnd(8)} WARNING: something else was busy during this phase; the figures are low. Run again on a quiet machine.`,
    );
}

async function main() {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID")))
    throw new Error("No production build: run `npx next build` first.");
  const config = stackConfig("bench");
  const stack = await startLocalStack(config, (m) => log(m));
  const sql = postgres(stack.env.DATABASE_URL!, { max: 2, onnotice: () => {} });
  let next: ChildProcess | undefined;
  try {
    const { dealershipId, numbers } = await prepareDealership(sql);
    const demoPhones = Array.from({ length: 50 }, (_, i) => `+1312555${String(100 + i).padStart(4, "0")}`);
    const newSenders = Array.from({ length: NEW_SENDERS }, (_, i) => `+1312557${String(i).padStart(4, "0")}`);
    const plan = {
      appBaseUrl: stack.env.APP_BASE_URL!,
      accountSid: LOCAL_SECRETS.twilioAccountSid,
      authToken: LOCAL_SECRETS.twilioAuthToken,
      to: numbers,
    };
    // Warm-up texts come from demo leads only, so every "inbound SMS" lead counted below is the measured run's.
    const warm = signedInboundRequests({ ...plan, from: demoPhones, count: WARMUP, retryEvery: 0 });
    const main = signedInboundRequests({ ...plan, from: [...demoPhones, ...newSenders], count: COUNT, retryEvery: 50 });
    const health: PreparedRequest[] = Array.from({ length: COUNT }, () => ({
      method: "GET",
      path: "/api/health",
      headers: {},
    }));

    next = spawn(
      process.execPath,
      [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-H", "127.0.0.1", "-p", String(config.appPort)],
      {
        cwd: ROOT,
        env: { ...process.env, ...stack.env, NEXT_TELEMETRY_DISABLED: "1", PORT: String(config.appPort) },
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    await waitForHealth(config.appPort, next);
    const load = async (requests: PreparedRequest[]) => {
      const before = cpuSnapshot();
      const result = await runLoad({
        host: "127.0.0.1",
        port: config.appPort,
        requests,
        concurrency: CONCURRENCY,
        maxSeconds: MAX_SECONDS,
      });
      return { ...result, cpu: cpuBetween(before, cpuSnapshot()) };
    };
    log(
      `next start on 127.0.0.1:${config.appPort}; ${numbers.length} sending numbers; concurrency ${CONCURRENCY}; up to ${COUNT} requests or ${MAX_SECONDS} s per phase`,
    );

    report("warm-up", await load(warm.requests));
    await load(health.slice(0, WARMUP));
    const baseline = await load(health);
    report("health", baseline);
    const inbound = await load(main.requests);
    report("inbound", inbound);

    const acceptedSids = [...new Set([...inbound.ok].map((i) => main.sids[i]!))];
    const sentSids = [...new Set(main.sids.slice(0, inbound.sent))];
    const [rows] = await sql`
      select count(*)::int as rows, count(distinct twilio_sid)::int as sids
      from public.messages where direction = 'inbound' and twilio_sid = any(${sentSids})`;
    const [leads] = await sql`
      select count(*)::int as n from public.leads where dealership_id = ${dealershipId}
        and source_id in (select id from public.lead_sources where dealership_id = ${dealershipId} and system_key = 'inbound_sms')`;
    const usedNewSenders = new Set(
      main.requests
        .slice(0, inbound.sent)
        .map((r) => new URLSearchParams(r.body).get("From"))
        .filter((f) => f && newSenders.includes(f)),
    ).size;
    log(`ratio    inbound / health = ${(inbound.perSecond / baseline.perSecond).toFixed(2)}`);
    log(
      `rows     ${inbound.sent} requests (${inbound.sent - sentSids.length} retries) carried ${sentSids.length} distinct sids; ${acceptedSids.length} answered 200; public.messages holds ${rows!.rows} rows for them (${rows!.sids} distinct)`,
    );
    log(`leads    ${usedNewSenders} unknown senders → ${leads!.n} new "inbound SMS" leads`);
    const lost = sentSids.length - rows!.rows;
    const verdict =
      lost === 0 && rows!.rows === rows!.sids && leads!.n === usedNewSenders && acceptedSids.length === sentSids.length;
    log(
      verdict
        ? "OK: nothing lost, nothing duplicated"
        : `MISMATCH: ${lost} lost or ${rows!.rows - rows!.sids} duplicated`,
    );
    const target = inbound.perSecond >= 300 && inbound.latencyMs.p99 < 100;
    log(`target ≥ 300 inbound/s with p99 < 100 ms: ${target ? "met" : "NOT met"}`);
    process.exitCode = verdict ? 0 : 1;
  } finally {
    if (next && next.exitCode === null) {
      next.kill("SIGTERM");
      await new Promise((r) => next!.once("exit", r));
    }
    await sql.end();
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(`[bench] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
