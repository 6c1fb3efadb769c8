import "server-only";
/**
 * The campaign send worker: drains the send queue for a bounded time. Used by the local worker
 * (npm run dev, the e2e server) and by the production cron route; any number may run at once.
 *
 * One batch of one campaign, in order:
 *  1. claim due rows (the database re-checks consent, the do-not-contact list, the opt-in
 *     requirement and the phone mark in the claiming statement, and holds the daily cap);
 *  2. per row, with the injectable clock: the recipient's window and the frequency caps
 *     (send-window.ts): outside them the row is postponed to `notBefore`, never dropped; inside,
 *     Twilio's ValidityPeriod is the seconds left in the window; the body is rendered, with the
 *     dealership's opt-out footer on the first message a lead ever receives from it;
 *  3. the messages are written 'pending' (the database checks consent, do-not-contact, the
 *     campaign's status and the dealership's frequency cap once more, with the lead row locked);
 *  4. Twilio, paced per sending number (slots reserved in the database, shared by all workers);
 *  5. the results: sent; failed (permanent: this row only, the phone marked for an invalid number
 *     or a landline; 21610 opts the lead out); retryable: back to the queue with backoff and
 *     jitter; a sender Twilio refuses (fatal): the campaign pauses itself with the reason.
 *  6. auto-pause when the failure, carrier-filtering (30007) or opt-out rate since the last
 *     resume crosses the dealership's thresholds.
 * A worker that dies leaves claims whose lease expires; reconcile() hands them back (no message
 * written: nothing reached Twilio) or asks Twilio whether it has the pending message before it is
 * ever sent again. Logs carry ids and counts only: no phone, name or body.
 */
import { randomUUID } from "node:crypto";
import { DecryptionError } from "@/lib/crypto/field-cipher";
import { serverEnv } from "@/lib/env/server-env";
import { decryptLeadPiiPerField } from "@/lib/leads/lead-fields";
import { logger } from "@/lib/observability/logger";
import { decryptMessageBody, encryptMessageBody } from "@/lib/sms/message-body";
import { countSmsSegments } from "@/lib/sms/segments";
import { autoPauseThresholdsOf } from "../campaign-settings";
import { mergeValuesFor } from "../merge-values";
import { parseTemplate, renderTemplate, type ParsedTemplate } from "../message-template";
import { dealershipSendHoursSchema, nextAllowedSendTime, type DealershipSendHours } from "../send-window";
import {
  autoPauseDecision,
  classifyTwilioFailure,
  nextRetry,
  twilioFailureFromError,
  type CampaignOutcomeCounts,
  type QueueRetryPolicy,
} from "../twilio-errors";
import { campaignGatewayFromEnv, type CampaignGateway } from "./campaign-gateway";
import * as db from "./worker-db";

/** How one drain runs. */
export interface DrainOptions {
  /** The clock the send rules use (tests inject one); default the real time. */
  now?: () => Date;
  /** Stop starting new batches after this many milliseconds (real time). */
  deadlineMs: number;
  gateway?: CampaignGateway;
  /** Rows claimed per batch (default 200; with throttling, what fits in about 5 s of slots). */
  batchSize?: number;
  /** Pace sends per sending number at the dealership's rate (default true; off for benchmarks). */
  throttle?: boolean;
  /** Twilio calls in flight at once (default 16). */
  concurrency?: number;
  /** How long a claim is this worker's before another may reconcile it (default 120 s; must exceed a Twilio call). */
  leaseSeconds?: number;
  /** Origin of the status callback URL (default APP_BASE_URL). */
  statusCallbackOrigin?: string;
  retryPolicy?: QueueRetryPolicy;
  /** For the backoff's jitter (default Math.random). */
  random?: () => number;
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** Only these dealerships' campaigns (tests; sharding workers); default all. */
  dealershipIds?: string[];
}

/** What one drain did. */
export interface DrainStats {
  batches: number;
  claimed: number;
  sent: number;
  failed: number;
  retried: number;
  postponed: number;
  /** Left out at the last moment (opted out, do not contact...), or canceled with the campaign. */
  skipped: number;
  /** Expired claims handed back or found at Twilio. */
  reconciled: number;
  autoPaused: number;
  stoppedBy: "deadline" | "idle" | "aborted";
}

interface Settings {
  rate: number;
  hours: DealershipSendHours | null;
  capMessages: number;
  capDays: number;
}

/** A claimed row ready to go: its body and what Twilio needs. */
interface Outgoing {
  recipientId: string;
  leadId: string;
  attempts: number;
  to: string;
  body: string;
  messageId: string;
  windowEndsAt: Date;
}

/** How often a campaign's rates are judged when its batches go out without failures. */
const AUTO_PAUSE_EVERY_MS = 3_000;

/** A batch whose messages are written 'pending', ready for Twilio. */
interface Prepared {
  campaignId: string;
  ctx: db.SendContext;
  sendingNumberId: string;
  settings: Settings;
  token: string;
  sends: Outgoing[];
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const onAbort = () => (clearTimeout(t), resolve());
    const t = setTimeout(() => (signal?.removeEventListener("abort", onAbort), resolve()), ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** Run `fn` over items with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>) {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  });
  await Promise.all(runners);
}

function settingsOf(ctx: db.SendContext): Settings {
  const hours = dealershipSendHoursSchema.safeParse(ctx.send_hours);
  return {
    rate: Number(ctx.per_number_per_second),
    hours: ctx.send_hours && hours.success ? hours.data : null,
    capMessages: ctx.frequency_cap_messages,
    capDays: ctx.frequency_cap_days,
  };
}

/** Outcome counts since the last resume (the baseline), as auto-pause judges them. */
function sinceBaseline(now: db.OutcomeCounts, baseline: Record<string, number> | null): CampaignOutcomeCounts {
  const delta = (k: keyof db.OutcomeCounts) => Math.max(0, Number(now[k] ?? 0) - Number(baseline?.[k] ?? 0));
  const counts = {
    attempted: delta("attempted"),
    failed: delta("failed"),
    filtered: delta("filtered"),
    optedOut: delta("optedOut"),
  };
  // An opt-out since the resume can answer a message from before it.
  counts.attempted = Math.max(counts.attempted, counts.failed + counts.filtered + counts.optedOut);
  return counts;
}

/** Drain the send queue until the deadline, or until nothing is due. */
export async function drainCampaignQueue(options: DrainOptions): Promise<DrainStats> {
  const now = options.now ?? (() => new Date());
  const started = Date.now();
  const deadline = started + options.deadlineMs;
  const gateway = options.gateway ?? campaignGatewayFromEnv();
  const throttle = options.throttle ?? true;
  const leaseSeconds = options.leaseSeconds ?? 120;
  const batchSize = Math.min(Math.max(options.batchSize ?? 200, 1), 5000);
  const concurrency = Math.max(options.concurrency ?? 16, 1);
  const log = options.log ?? ((line: string) => logger().info({ component: "campaign-worker" }, line));
  const callbackOrigin = options.statusCallbackOrigin ?? new URL(serverEnv().APP_BASE_URL).origin;
  const stats: DrainStats = {
    batches: 0,
    claimed: 0,
    sent: 0,
    failed: 0,
    retried: 0,
    postponed: 0,
    skipped: 0,
    reconciled: 0,
    autoPaused: 0,
    stoppedBy: "idle",
  };
  const templates = new Map<string, ParsedTemplate | null>();
  /** Campaigns this drain paused: a batch already prepared for one of them is released, not sent. */
  const pausedHere = new Set<string>();
  /** When each campaign's rates were last judged for auto-pause. */
  const lastJudged = new Map<string, { at: number; smallSample: boolean }>();

  async function pauseFor(campaignId: string, reason: string, metric: string) {
    pausedHere.add(campaignId);
    if (await db.autoPause(campaignId, reason, metric)) {
      stats.autoPaused += 1;
      log(`campaign ${campaignId} paused automatically (${metric})`);
    }
  }

  /** Expired claims: back to the queue, or checked against Twilio before anything is sent again. */
  async function reconcile() {
    for (;;) {
      const orphans = await db.reconcileExpired(now(), 100, leaseSeconds, options.dealershipIds ?? null);
      if (orphans.length === 0) return;
      const byToken = new Map<string, db.RecipientResult[]>();
      await pool(orphans, 8, async (o) => {
        let result: db.RecipientResult;
        try {
          const { pii } = decryptLeadPiiPerField(o.lead);
          const body = decryptMessageBody(o.body_enc, o.dealership_id, o.message_id);
          const since = new Date(o.message_created_at.getTime() - 60_000);
          const found = pii.phone
            ? (await gateway.recentMessages({ to: pii.phone, from: o.from_number, since })).find(
                (m) =>
                  m.body === body &&
                  (m.dateCreated === null || m.dateCreated >= since) &&
                  (o.messaging_service_sid
                    ? m.messagingServiceSid === o.messaging_service_sid
                    : m.from === o.from_number),
              )
            : undefined;
          result = found
            ? {
                recipientId: o.recipient_id,
                outcome: "sent",
                twilioSid: found.sid,
                twilioStatus: twilioStatusOf(found.status),
              }
            : // Twilio never got it: back to the queue (the pending message is removed), no attempt used.
              { recipientId: o.recipient_id, outcome: "release" };
        } catch (err) {
          // Twilio could not be asked: try again after the new lease, never send blind.
          log(`reconcile of row ${o.recipient_id} deferred (${(err as Error).name})`);
          return;
        }
        const list = byToken.get(o.claim_token) ?? [];
        list.push(result);
        byToken.set(o.claim_token, list);
      });
      for (const [token, results] of byToken) {
        await db.recordResults(token, now(), results);
        stats.reconciled += results.length;
      }
      if (byToken.size === 0) return;
    }
  }

  /** Steps 1 to 3 for one batch of a campaign: claim, decide, write the pending messages. */
  async function prepareBatch(campaignId: string): Promise<{ claimed: number; prepared: Prepared | null }> {
    const none = { claimed: 0, prepared: null };
    const ctx = await db.sendContext(campaignId);
    if (!ctx || ctx.status !== "sending" || pausedHere.has(campaignId)) return none;
    const sendingNumberId = ctx.sending_number_id;
    if (!sendingNumberId) {
      await pauseFor(
        campaignId,
        "Paused automatically: the campaign's sending number was removed. Pick another number, then resume.",
        "sending_number",
      );
      return none;
    }
    let template = templates.get(campaignId);
    if (template === undefined) {
      const parsed = parseTemplate(ctx.template);
      template = parsed.ok ? parsed.template : null;
      templates.set(campaignId, template);
    }
    if (!template) {
      await pauseFor(campaignId, "Paused automatically: the message has errors. Fix it, then resume.", "template");
      return none;
    }
    const settings = settingsOf(ctx);
    const limit = throttle ? Math.min(batchSize, Math.max(1, Math.floor(settings.rate * 5))) : batchSize;
    const claimed = await db.claim(campaignId, now(), limit, leaseSeconds);
    if (claimed.length === 0) return none;
    stats.batches += 1;
    stats.claimed += claimed.length;
    const token = claimed[0]!.claim_token;

    // 2. The send rules, per row, at this moment.
    const early: db.RecipientResult[] = [];
    const outgoing: Outgoing[] = [];
    const at = now();
    for (const row of claimed) {
      let phone: string | null | undefined;
      let pii;
      try {
        ({ pii } = decryptLeadPiiPerField(row.lead));
        phone = pii.phone;
      } catch (err) {
        if (!(err instanceof DecryptionError)) throw err;
      }
      if (!phone || !pii) {
        early.push({ recipientId: row.recipient_id, outcome: "failed", failureKind: "unsendable" });
        continue;
      }
      const decision = nextAllowedSendTime(
        phone,
        at,
        {
          dealershipHours: settings.hours,
          dealershipCap: { maxMessages: settings.capMessages, periodHours: settings.capDays * 24 },
        },
        { campaignId, sends: row.history.map((h) => ({ campaignId: h.campaignId, sentAt: new Date(h.sentAt) })) },
      );
      if (!decision.allowed) {
        early.push({
          recipientId: row.recipient_id,
          outcome: "postpone",
          // No allowed minute within 8 days (dealership hours that rule out a state's): look again tomorrow.
          retryAt: decision.notBefore ?? new Date(at.getTime() + 86_400_000),
          postponedReason: decision.reason,
        });
        continue;
      }
      const rendered = renderTemplate(template, mergeValuesFor(pii, ctx.dealership_name, row.rep_name), {
        firstMessage: row.first_message,
        optOutFooter: ctx.opt_out_footer,
      });
      if (!rendered.sendable) {
        early.push({ recipientId: row.recipient_id, outcome: "failed", failureKind: "unsendable" });
        continue;
      }
      outgoing.push({
        recipientId: row.recipient_id,
        leadId: row.lead_id,
        attempts: row.attempts,
        to: phone,
        body: rendered.body,
        messageId: randomUUID(),
        windowEndsAt: decision.windowEndsAt,
      });
    }
    if (early.length > 0) {
      await db.recordResults(token, now(), early);
      for (const r of early) {
        if (r.outcome === "postpone") stats.postponed += 1;
        else stats.failed += 1;
      }
    }
    if (outgoing.length === 0) return { claimed: claimed.length, prepared: null };

    // 3. Pending messages, after the database's last checks.
    const verdicts = await db.recordMessages(
      token,
      now(),
      outgoing.map((o) => ({
        recipientId: o.recipientId,
        messageId: o.messageId,
        bodyEnc: encryptMessageBody(o.body, ctx.dealership_id, o.messageId),
        segments: Math.min(100, countSmsSegments(o.body).segments),
      })),
    );
    const toSend = new Set(verdicts.filter((v) => v.verdict === "send").map((v) => v.recipient_id));
    for (const v of verdicts) {
      if (v.verdict === "frequency_cap") stats.postponed += 1;
      else if (v.verdict.startsWith("skipped:") || v.verdict === "canceled") stats.skipped += 1;
    }
    const sends = outgoing.filter((o) => toSend.has(o.recipientId));
    if (sends.length === 0) return { claimed: claimed.length, prepared: null };
    return { claimed: claimed.length, prepared: { campaignId, ctx, sendingNumberId, settings, token, sends } };
  }

  /** Steps 4 to 6 for a prepared batch: Twilio, the results, auto-pause. */
  async function deliverBatch({ campaignId, ctx, sendingNumberId, settings, token, sends }: Prepared): Promise<void> {
    if (pausedHere.has(campaignId)) {
      // This worker paused the campaign while the batch was being prepared: nothing goes out.
      await db.recordResults(
        token,
        now(),
        sends.map((o) => ({ recipientId: o.recipientId, outcome: "release" as const })),
      );
      return;
    }
    // 4. Twilio, paced per sending number.
    const step = throttle ? 1000 / settings.rate : 0;
    const firstSlot = throttle
      ? (await db.reserveSlots(sendingNumberId, sends.length, settings.rate, now())).getTime()
      : 0;
    const results: db.RecipientResult[] = [];
    let fatal: string | null = null;
    await pool(
      sends,
      throttle ? Math.max(1, Math.min(concurrency, Math.ceil(settings.rate))) : concurrency,
      async (o, i) => {
        if (throttle) await sleep(firstSlot + i * step - now().getTime(), options.signal);
        const sendAt = now();
        const validity = Math.floor((o.windowEndsAt.getTime() - sendAt.getTime()) / 1000);
        if (fatal || options.signal?.aborted || validity < 1) {
          // The sender was refused a moment ago, the worker is stopping, or the window closed while
          // waiting for the slot: not sent; back to the queue (the window rule runs again then).
          results.push({ recipientId: o.recipientId, outcome: "release" });
          return;
        }
        try {
          const sent = await gateway.send({
            to: o.to,
            from: ctx.messaging_service_sid ? null : ctx.from_number,
            messagingServiceSid: ctx.messaging_service_sid,
            body: o.body,
            statusCallback: `${callbackOrigin}/api/twilio/status?m=${o.messageId}`,
            validityPeriod: Math.min(validity, 14_400),
          });
          results.push({
            recipientId: o.recipientId,
            outcome: "sent",
            twilioSid: sent.sid,
            twilioStatus: twilioStatusOf(sent.status),
          });
        } catch (err) {
          const failure = classifyTwilioFailure(twilioFailureFromError(err));
          if (failure.kind === "fatal") {
            fatal = failure.description;
            results.push({ recipientId: o.recipientId, outcome: "release", errorCode: failure.code });
          } else if (failure.kind === "retryable") {
            if (failure.mayHaveBeenSent) {
              results.push({ recipientId: o.recipientId, outcome: "unknown" });
              return;
            }
            const retry = nextRetry(failure, o.attempts, now(), options.retryPolicy, options.random);
            results.push(
              retry.retry
                ? { recipientId: o.recipientId, outcome: "retry", retryAt: retry.retryAt, errorCode: failure.code }
                : { recipientId: o.recipientId, outcome: "failed", failureKind: "retryable", errorCode: failure.code },
            );
          } else {
            results.push({
              recipientId: o.recipientId,
              outcome: "failed",
              failureKind: failure.kind,
              errorCode: failure.code,
              phoneMark: failure.phoneMark,
            });
          }
        }
      },
    );

    // 5. The results, in one transaction.
    await db.recordResults(token, now(), results);
    for (const r of results) {
      if (r.outcome === "sent") stats.sent += 1;
      else if (r.outcome === "failed") stats.failed += 1;
      else if (r.outcome === "retry") stats.retried += 1;
    }
    if (fatal)
      await pauseFor(
        campaignId,
        `Paused automatically: ${fatal}. Check the sending number and the Twilio account, then resume.`,
        "sender",
      );

    // 6. Auto-pause on rates since the last resume: after any failure, and every few seconds for
    // what arrives on its own (delivery failures, 30007, STOP replies).
    // Until the sample is large enough every batch counts (growing it can cross the threshold).
    const last = lastJudged.get(campaignId);
    const batchFailed = results.some((r) => r.outcome !== "sent");
    if (!last || last.smallSample || batchFailed || Date.now() - last.at >= AUTO_PAUSE_EVERY_MS) {
      const thresholds = autoPauseThresholdsOf(ctx.auto_pause);
      const counts = sinceBaseline(await db.outcomes(campaignId), ctx.auto_pause_baseline);
      lastJudged.set(campaignId, { at: Date.now(), smallSample: counts.attempted < thresholds.minSample });
      const decision = autoPauseDecision(counts, thresholds);
      if (decision) await pauseFor(campaignId, decision.reason, decision.metric);
    }
  }

  // The campaigns with due rows, one batch each in turn; the list is read again after each round
  // (which also starts scheduled campaigns and completes finished ones).
  let due: db.DueCampaign[] = [];
  let turn = 0;
  let roundClaims = 0;
  let lastReconcile = 0;
  async function nextCampaign(): Promise<string | null> {
    if (turn >= due.length) {
      if (due.length > 0 && roundClaims === 0) return null; // a whole round found nothing to send
      if (Date.now() - lastReconcile > 5_000) {
        await reconcile();
        lastReconcile = Date.now();
      }
      due = await db.tick(now(), options.dealershipIds ?? null);
      turn = 0;
      roundClaims = 0;
      if (due.length === 0) return null;
    }
    return due[turn++]!.campaign_id;
  }
  const prepareNext = async () => {
    const campaignId = await nextCampaign();
    return campaignId ? prepareBatch(campaignId) : null;
  };

  // A pipeline: the next batch is claimed and written while this one is with Twilio.
  let next: ReturnType<typeof prepareNext> | null = prepareNext();
  while (next) {
    const batch = await next;
    if (!batch) return { ...stats, stoppedBy: "idle" };
    roundClaims += batch.claimed;
    const stop = Date.now() >= deadline || Boolean(options.signal?.aborted);
    next = stop ? null : prepareNext();
    if (batch.prepared) await deliverBatch(batch.prepared);
  }
  return { ...stats, stoppedBy: options.signal?.aborted ? "aborted" : "deadline" };
}

const STATUSES = new Set([
  "accepted",
  "scheduled",
  "queued",
  "sending",
  "sent",
  "delivered",
  "undelivered",
  "failed",
  "canceled",
]);

/** Twilio's create status as ours (unknown values read as queued: Twilio has the message). */
function twilioStatusOf(status: string): string {
  return STATUSES.has(status) ? status : "queued";
}
