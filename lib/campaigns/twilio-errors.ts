/**
 * What the campaign send worker does with a failed send, decided from Twilio's answer alone (an API
 * error on the create call, or the ErrorCode of a status callback). Pure: the worker applies it.
 *
 * - permanent: this message fails, the campaign goes on; some also mark the lead's phone
 *   (invalid number, landline, not SMS-capable) so no campaign tries it again;
 * - opt_out (21610): the carrier/Twilio holds a STOP for this pair: opt the lead out;
 * - retryable: back off with jitter and try again, up to a bound;
 * - carrier_filtered (30007): fails the message and counts towards auto-pause, because a rising
 *   filter rate means carriers consider the campaign spam;
 * - fatal: the sender or account is refused (bad credentials, number not SMS-capable, suspended):
 *   every further message would fail the same way, so pause the campaign now.
 * Codes: https://www.twilio.com/docs/api/errors (descriptions in the table below).
 */
import { z } from "zod";

export type FailureKind = "permanent" | "opt_out" | "retryable" | "carrier_filtered" | "fatal";

/** What to record on the lead's phone number. */
export type PhoneMark = "invalid" | "landline" | "not_sms_capable" | "unreachable";

/** How a failure counts for auto-pause. Retryable failures count only once the worker gives up. */
export type OutcomeBucket = "failed" | "filtered" | "opted_out" | "none";

/** The classification of one failed send. */
export interface SendFailure {
  kind: FailureKind;
  code: number | null;
  status: number | null;
  phoneMark: PhoneMark | null;
  /** Retryable network failures only: the request may have reached Twilio, so check before resending. */
  mayHaveBeenSent: boolean;
  bucket: OutcomeBucket;
  /** For the campaign page and logs; never contains the number or the body. */
  description: string;
}

interface CodeRule {
  kind: FailureKind;
  phoneMark?: PhoneMark;
  description: string;
}

// Twilio error codes the worker meets; each description is Twilio's title for the code.
const CODES: Readonly<Record<number, CodeRule>> = {
  // Permanent for this recipient: fail the message, mark the phone.
  21211: { kind: "permanent", phoneMark: "invalid", description: "Invalid 'To' phone number (21211)" },
  21612: { kind: "permanent", phoneMark: "unreachable", description: "Twilio cannot route to this number (21612)" },
  21614: { kind: "permanent", phoneMark: "not_sms_capable", description: "'To' number is not SMS-capable (21614)" },
  21635: { kind: "permanent", phoneMark: "landline", description: "'To' number is a landline (21635)" },
  30005: { kind: "permanent", phoneMark: "invalid", description: "Unknown destination handset (30005)" },
  30006: { kind: "permanent", phoneMark: "landline", description: "Landline or unreachable carrier (30006)" },
  // Permanent for this message, phone untouched.
  21602: { kind: "permanent", description: "Message body is required (21602)" },
  21617: { kind: "permanent", description: "Message body exceeds the 1,600 character limit (21617)" },
  21408: { kind: "permanent", description: "Permission to send to this region is not enabled (21408)" },
  30003: { kind: "permanent", description: "Unreachable destination handset (30003)" },
  30004: { kind: "permanent", description: "Message blocked by the recipient or their carrier (30004)" },
  // The recipient opted out at the carrier or at Twilio.
  21610: { kind: "opt_out", description: "The recipient replied STOP to this sender (21610)" },
  // Try again later.
  20429: { kind: "retryable", description: "Too many requests (20429)" },
  21611: { kind: "retryable", description: "The sender has too many queued messages (21611)" },
  30001: { kind: "retryable", description: "Queue overflow (30001)" },
  30008: { kind: "retryable", description: "Unknown delivery error (30008)" },
  21730: { kind: "retryable", description: "Twilio is under maintenance (21730)" },
  // Carrier filtering.
  30007: { kind: "carrier_filtered", description: "Filtered by the carrier as spam or unregistered traffic (30007)" },
  // The sender or account is refused: stop the campaign.
  20003: { kind: "fatal", description: "Twilio refused the account credentials (20003)" },
  21606: { kind: "fatal", description: "The sending number cannot send SMS (21606)" },
  21212: { kind: "fatal", description: "Invalid sending number (21212)" },
  21659: { kind: "fatal", description: "The sending number is not a Twilio number of this account (21659)" },
  30002: { kind: "fatal", description: "The Twilio account is suspended (30002)" },
  30034: { kind: "fatal", description: "The sending number is not registered for A2P 10DLC (30034)" },
};

const BUCKET: Readonly<Record<FailureKind, OutcomeBucket>> = {
  permanent: "failed",
  fatal: "failed",
  opt_out: "opted_out",
  carrier_filtered: "filtered",
  retryable: "none",
};

/** What went wrong, as the worker saw it. */
export interface TwilioFailureInput {
  /** Twilio's error code (API error or status-callback ErrorCode). */
  code?: number | null;
  /** HTTP status of the API answer; null or absent when Twilio was never heard from. */
  status?: number | null;
  /** Transport failure (Node's error code, e.g. ECONNRESET, ETIMEDOUT, ECONNREFUSED). */
  network?: string | null;
}

// Failures that happen before the request leaves this machine: a retry cannot send twice.
const NOT_SENT_NETWORK_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

function failure(
  kind: FailureKind,
  input: TwilioFailureInput,
  description: string,
  extra: Partial<SendFailure> = {},
): SendFailure {
  return {
    kind,
    code: input.code ?? null,
    status: input.status ?? null,
    phoneMark: null,
    mayHaveBeenSent: false,
    bucket: BUCKET[kind],
    description,
    ...extra,
  };
}

/** Classify one failed send. */
export function classifyTwilioFailure(input: TwilioFailureInput): SendFailure {
  const rule = input.code != null ? CODES[input.code] : undefined;
  if (rule) return failure(rule.kind, input, rule.description, { phoneMark: rule.phoneMark ?? null });
  const status = input.status ?? null;
  if (status === 429) return failure("retryable", input, "Too many requests (HTTP 429)");
  if (status !== null && status >= 500) return failure("retryable", input, `Twilio server error (HTTP ${status})`);
  if (status === 401 || status === 403) return failure("fatal", input, `Twilio refused the request (HTTP ${status})`);
  if (status !== null) {
    return failure(
      "permanent",
      input,
      input.code != null
        ? `Twilio refused the message (error ${input.code})`
        : `Twilio refused the message (HTTP ${status})`,
    );
  }
  if (input.code != null) {
    // A delivery error from a status callback that the table does not know: the message is lost.
    return failure("permanent", input, `Delivery failed (error ${input.code})`);
  }
  const network = input.network ?? "network error";
  const sent = !NOT_SENT_NETWORK_CODES.has(network);
  return failure("retryable", input, `Could not reach Twilio (${network})`, { mayHaveBeenSent: sent });
}

/**
 * The worker's view of an error thrown by the send: SmsSendError (status, numeric code), a twilio
 * RestException (status, code) or a Node network error (string code such as ECONNRESET).
 */
export function twilioFailureFromError(err: unknown): TwilioFailureInput {
  const e = (err ?? {}) as { status?: unknown; code?: unknown; cause?: { code?: unknown } };
  const status = typeof e.status === "number" ? e.status : null;
  const code = typeof e.code === "number" ? e.code : null;
  const networkCode = typeof e.code === "string" ? e.code : typeof e.cause?.code === "string" ? e.cause.code : null;
  if (status === null && code === null) {
    // SmsSendError's network failures carry no Node code, only retryable = ECONNREFUSED.
    const refused = (err as { retryable?: unknown })?.retryable === true;
    return { network: networkCode ?? (refused ? "ECONNREFUSED" : "network error") };
  }
  return { status, code };
}

/** Bounded retries for the queue: delays are long because the row is simply rescheduled. */
export interface QueueRetryPolicy {
  /** Total attempts, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_QUEUE_RETRY_POLICY: QueueRetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 30_000,
  maxDelayMs: 30 * 60_000,
};

/**
 * The wait before retry number `retry` (1-based): exponential (base * 2^(retry-1), capped at max)
 * with "equal jitter", half fixed and half random, so retries of a whole batch spread out but
 * never come back at once. `random` returns [0, 1) like Math.random (injectable for tests).
 */
export function retryDelayMs(
  retry: number,
  policy: QueueRetryPolicy = DEFAULT_QUEUE_RETRY_POLICY,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(ceiling / 2 + (ceiling / 2) * r);
}

export type RetryDecision = { retry: true; retryAt: Date } | { retry: false; reason: string };

/**
 * After attempt number `attempts` (1-based) failed with `failure`: when to try again, or why not.
 * A non-retryable failure is never retried; a retryable one is, until maxAttempts.
 */
export function nextRetry(
  failure: SendFailure,
  attempts: number,
  now: Date,
  policy: QueueRetryPolicy = DEFAULT_QUEUE_RETRY_POLICY,
  random: () => number = Math.random,
): RetryDecision {
  if (failure.kind !== "retryable") return { retry: false, reason: failure.description };
  if (attempts >= policy.maxAttempts)
    return { retry: false, reason: `${failure.description}; gave up after ${attempts} attempts` };
  return { retry: true, retryAt: new Date(now.getTime() + retryDelayMs(attempts, policy, random)) };
}

/** A campaign's outcomes so far. Each failed message is in exactly one of the three buckets. */
export interface CampaignOutcomeCounts {
  /** Messages handed to Twilio (or refused by it). */
  attempted: number;
  /** Failed for any reason other than carrier filtering or opt-out (given-up retries included). */
  failed: number;
  /** Failed with 30007. */
  filtered: number;
  /** Opted out: a STOP reply or a 21610. */
  optedOut: number;
}

/** When to pause a campaign by itself. Rates are fractions of `attempted`. */
export const autoPauseThresholdsSchema = z.object({
  /** No decision before this many attempts: two failures out of five say nothing. */
  minSample: z.number().int().min(1).max(100_000),
  maxFailureRate: z.number().min(0).max(1),
  maxFilteredRate: z.number().min(0).max(1),
  maxOptOutRate: z.number().min(0).max(1),
});
export type AutoPauseThresholds = z.infer<typeof autoPauseThresholdsSchema>;

/**
 * Defaults: carriers start blocking senders whose traffic is filtered or opted out of much above
 * a couple of percent, and a tenth of messages failing means a bad list or a broken sender.
 */
export const DEFAULT_AUTO_PAUSE_THRESHOLDS: AutoPauseThresholds = {
  minSample: 50,
  maxFailureRate: 0.1,
  maxFilteredRate: 0.02,
  maxOptOutRate: 0.04,
};

/** Why a campaign paused itself. */
export interface AutoPause {
  metric: "carrier_filtering" | "opt_outs" | "failures";
  count: number;
  attempted: number;
  rate: number;
  threshold: number;
  /** For the campaign page. */
  reason: string;
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * Pause the campaign? Null while the sample is too small or every rate is at or under its
 * threshold; otherwise the first rate over it, in order of harm (carrier filtering, opt-outs,
 * failures), with a reason a person can act on.
 */
export function autoPauseDecision(
  counts: CampaignOutcomeCounts,
  thresholds: AutoPauseThresholds = DEFAULT_AUTO_PAUSE_THRESHOLDS,
): AutoPause | null {
  for (const [name, value] of Object.entries(counts)) {
    if (!Number.isInteger(value) || value < 0)
      throw new RangeError(`${name} must be a whole number of messages, not ${value}`);
  }
  if (counts.failed + counts.filtered + counts.optedOut > counts.attempted) {
    throw new RangeError("failed + filtered + optedOut cannot exceed attempted");
  }
  const t = autoPauseThresholdsSchema.parse(thresholds);
  if (counts.attempted < t.minSample) return null;

  const checks = [
    {
      metric: "carrier_filtering" as const,
      count: counts.filtered,
      threshold: t.maxFilteredRate,
      why: "were filtered by carriers (error 30007). Review the wording and the sender's A2P 10DLC registration before resuming.",
    },
    {
      metric: "opt_outs" as const,
      count: counts.optedOut,
      threshold: t.maxOptOutRate,
      why: "were answered with an opt-out. Check the audience and the message before resuming.",
    },
    {
      metric: "failures" as const,
      count: counts.failed,
      threshold: t.maxFailureRate,
      why: "failed. Check the sending number and the leads' phone numbers before resuming.",
    },
  ];
  for (const c of checks) {
    const rate = c.count / counts.attempted;
    if (rate > c.threshold) {
      return {
        metric: c.metric,
        count: c.count,
        attempted: counts.attempted,
        rate,
        threshold: c.threshold,
        reason: `Paused automatically: ${c.count} of ${counts.attempted} messages (${percent(rate)}) ${c.why} The limit is ${percent(c.threshold)}.`,
      };
    }
  }
  return null;
}
