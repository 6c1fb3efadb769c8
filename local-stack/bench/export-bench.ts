/**
 * `npm run bench:export [leads] [messagesPerLead] [runs]`: on a fresh `bench` stack, a dealership
 * of 100,000 leads (names, phones, e-mails, vehicles encrypted as the app does) and 500,000
 * messages (encrypted bodies) exported end to end (cursor → decrypt → CSV → ZIP) in a process of
 * its own, reporting seconds, CPU-seconds and peak RSS, against a same-run baseline: a plain
 * `COPY (select ...) TO STDOUT` of the same rows (no decryption, no ZIP). Each run (1 by default)
 * prints the machine's load average and how busy other processes kept it, since this 2-core box
 * is shared. Not a test.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import { blindIndex } from "@/lib/crypto/blind-index";
import { encryptLeadPii } from "@/lib/leads/lead-fields";
import { encryptMessageBody } from "@/lib/sms/message-body";
import { stackConfig } from "@/local-stack/config";
import { startLocalStack } from "@/local-stack/stack";
import { createDealership, createMember } from "@/local-stack/test-fixtures";
import { cpuBetween, cpuSnapshot } from "./cpu-usage";

const [LEADS = 100_000, PER_LEAD = 5, RUNS = 1] = process.argv.slice(2).map(Number);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const phoneOf = (i: number) => `+1312${2_000_000 + i}`;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

/**
 * CPU-seconds of the Postgres backends that have ended (the postmaster's reaped children; Linux
 * /proc): the export's connection ends with its process, so the difference across a run is the
 * export's Postgres work (plus any autovacuum worker that ended meanwhile).
 */
function endedBackendsCpuSeconds(pgDataDir: string): number | null {
  try {
    const pid = readFileSync(path.join(pgDataDir, "postmaster.pid"), "utf8").split("\n")[0]!.trim();
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime, USER_HZ
  } catch {
    return null;
  }
}

async function main() {
  const stack = await startLocalStack(stackConfig("bench"), (m) => console.log(`[stack] ${m}`));
  Object.assign(process.env, stack.env);
  const admin = postgres(stack.env.DATABASE_URL!, { max: 4, onnotice: () => {} });
  try {
    const dealershipId = await createDealership(admin, "Export Bench Motors");
    await createMember(admin, dealershipId, "owner");
    console.log(`writing ${fmt(LEADS)} leads and ${fmt(LEADS * PER_LEAD)} messages (encrypted)…`);
    for (let start = 0; start < LEADS; start += 1000) {
      const leads = [];
      const conversations = [];
      const messages = [];
      for (let i = start; i < Math.min(LEADS, start + 1000); i++) {
        const id = randomUUID();
        const enc = encryptLeadPii(
          {
            firstName: `Lead${i}`,
            lastName: i % 97 === 0 ? "=cmd()" : "Smith",
            phone: phoneOf(i),
            email: `lead${i}@example.test`,
            vehicleMake: "Ford",
            vehicleModel: "F-150",
          },
          dealershipId,
          id,
        );
        leads.push({
          id,
          dealership_id: dealershipId,
          ...enc,
          phone_bidx: blindIndex("phone", phoneOf(i), dealershipId),
        });
        const conversationId = randomUUID();
        conversations.push({ id: conversationId, dealership_id: dealershipId, lead_id: id });
        for (let k = 0; k < PER_LEAD; k++) {
          const messageId = randomUUID();
          messages.push({
            id: messageId,
            dealership_id: dealershipId,
            conversation_id: conversationId,
            lead_id: id,
            direction: "inbound",
            status: "received",
            body_enc: encryptMessageBody(`Message ${k} about the truck, is it still there?`, dealershipId, messageId),
          });
        }
      }
      await admin`insert into public.leads ${admin(leads)}`;
      await admin`insert into public.conversations ${admin(conversations)}`;
      await admin`insert into public.messages ${admin(messages)}`;
      if (start % 20_000 === 0) console.log(`  ${fmt(start + 1000)} leads`);
    }
    await admin`analyze`;

    console.log(
      `\nexport of ${fmt(LEADS)} leads + ${fmt(LEADS * PER_LEAD)} messages (CSV ZIP, all tables), ${RUNS} run(s):`,
    );
    for (let run = 1; run <= RUNS; run++) {
      // Baseline: COPY the same rows out as CSV (no decryption, no ZIP).
      let copyBytes = 0;
      const sink = () =>
        new Writable({
          write(chunk: Buffer, _e, cb) {
            copyBytes += chunk.length;
            cb();
          },
        });
      const c0 = performance.now();
      for (const table of ["leads", "conversations", "messages"]) {
        const stream = await admin
          .unsafe(
            `copy (select * from public.${table} where dealership_id = '${dealershipId}') to stdout with (format csv, header)`,
          )
          .readable();
        await pipeline(stream, sink());
      }
      const copySeconds = (performance.now() - c0) / 1000;

      const loadBefore = load();
      const pgBefore = endedBackendsCpuSeconds(stack.config.pgDataDir);
      const machineBefore = cpuSnapshot();
      const w0 = performance.now();
      const child = spawn(
        process.execPath,
        [...process.execArgv, path.join(import.meta.dirname, "export-bench-child.ts"), dealershipId],
        { stdio: ["ignore", "pipe", "inherit"], env: process.env },
      );
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
      if (code !== 0) throw new Error(`the export process exited with ${code}`);
      const machine = cpuBetween(machineBefore, cpuSnapshot());
      const wall = (performance.now() - w0) / 1000;
      const pgAfter = endedBackendsCpuSeconds(stack.config.pgDataDir);
      const result = JSON.parse(out.trim().split("\n").at(-1)!) as {
        seconds: number;
        cpuSeconds: number;
        mainThreadSeconds: number | null;
        bytes: number;
        peakRssMb: number;
      };
      const pgSeconds = pgBefore === null || pgAfter === null ? null : pgAfter - pgBefore;
      const pg = pgSeconds?.toFixed(1) ?? "?";
      // The export process and its backend have ended by the second snapshot, so cpuBetween
      // counts them as "others": take them out.
      const others = Math.max(0, machine.others - (result.cpuSeconds + (pgSeconds ?? 0)) / wall).toFixed(2);
      console.log(
        `run ${run}: export ${result.seconds.toFixed(1)} s, ${result.cpuSeconds.toFixed(1)} CPU-s in the export process ` +
          `(${result.mainThreadSeconds?.toFixed(1) ?? "?"} of them on its main thread; + ${pg} CPU-s Postgres), peak RSS ${fmt(result.peakRssMb)} MB, ${fmt(result.bytes / 1024 / 1024)} MB zipped; ` +
          `baseline COPY ... TO STDOUT of leads, conversations, messages: ${copySeconds.toFixed(1)} s ` +
          `(${fmt(copyBytes / 1024 / 1024)} MB of CSV); load average ${loadBefore} before, ${load()} after; ` +
          `other processes kept ${others} of ${machine.cores} cores busy`,
      );
    }
  } finally {
    await admin.end();
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
