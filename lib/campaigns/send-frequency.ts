/**
 * How often a lead may be texted by campaigns, as pure functions of the lead's send history (the
 * caller reads it from the database; nothing here does I/O):
 * - a state's cap on messages about the same subject (Florida, Oklahoma, Maryland: 3 per 24 hours;
 *   a campaign is one subject), see data/send-rules.ts;
 * - the dealership's own cap across all its campaigns (default: 1 campaign message per 7 days).
 * A cap is a rolling window: a send counts while it is less than the period old.
 */
import { z } from "zod";
import { STATE_SUBJECT_CAPS, type SubjectCapRule } from "./data/send-rules";
import { recipientLocation } from "./recipient-location";

/** One campaign message already sent (or handed to Twilio) to this lead by this dealership. */
export interface CampaignSend {
  campaignId: string;
  sentAt: Date;
}

/** At most `maxMessages` in any rolling `periodHours`. */
export interface FrequencyCap {
  maxMessages: number;
  periodHours: number;
}

/** The dealership-wide default: one campaign message per lead per 7 days (issue 10). */
export const DEFAULT_DEALERSHIP_CAP: FrequencyCap = { maxMessages: 1, periodHours: 7 * 24 };

/** A dealership's cap setting as a form or the database gives it. */
export const frequencyCapSchema = z.object({
  maxMessages: z.number().int().min(1, "Allow at least one message").max(100),
  periodHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90, "The period can be at most 90 days"),
});

/** The state cap a number is under, as its location tells. */
export interface StateSubjectCap extends SubjectCapRule {
  /** "area-code": the number's state has the cap; "unknown-location": applied because it might. */
  basis: "area-code" | "unknown-location";
}

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/**
 * The per-campaign cap of the recipient's state (3 per 24 hours in Florida, Oklahoma and
 * Maryland), or null where no state cap applies. A number whose location is unknown gets the
 * strictest state cap, since it may belong to one of those states.
 */
export function maxMessagesPer24h(e164: string): StateSubjectCap | null {
  const location = recipientLocation(e164);
  if (location.kind === "area-code") {
    const rule = STATE_SUBJECT_CAPS[location.state];
    return rule ? { ...rule, basis: "area-code" } : null;
  }
  const strictest = Object.values(STATE_SUBJECT_CAPS)
    .filter((r): r is SubjectCapRule => r !== undefined)
    .sort((a, b) => a.maxMessages / a.periodHours - b.maxMessages / b.periodHours)[0];
  return strictest
    ? {
        ...strictest,
        id: "unknown",
        summary: `Unknown location: ${strictest.maxMessages} per ${strictest.periodHours} hours per campaign`,
        basis: "unknown-location",
      }
    : null;
}

/**
 * The earliest instant >= now at which one more send keeps `sends` within `cap`: now if fewer than
 * maxMessages fall in the last period, else when the oldest of the newest maxMessages leaves it.
 * A send stamped in the future (clock skew) counts as sent now.
 */
export function earliestUnderCap(sends: readonly Date[], cap: FrequencyCap, now: Date): Date {
  const nowMs = now.getTime();
  const periodMs = cap.periodHours * HOUR_MS;
  const newestFirst = sends.map((d) => Math.min(d.getTime(), nowMs)).sort((a, b) => b - a);
  const blocking = newestFirst[cap.maxMessages - 1];
  if (blocking === undefined || blocking + periodMs <= nowMs) return new Date(nowMs);
  return new Date(blocking + periodMs);
}

/** Which cap holds a send back. */
export type FrequencyLimit = "state_campaign_cap" | "dealership_cap";

/** When the caps let the next message of `campaignId` go to this lead. */
export interface FrequencyVerdict {
  /** now when no cap is reached; otherwise the first whole minute at which every cap allows a send. */
  earliest: Date;
  /** The cap that holds the send back longest, or null. */
  limitedBy: FrequencyLimit | null;
}

/**
 * Check the state's per-campaign cap and the dealership-wide cap against the lead's campaign
 * history (every campaign of this dealership, this lead only).
 */
export function checkFrequency(
  e164: string,
  campaignId: string,
  history: readonly CampaignSend[],
  now: Date,
  dealershipCap: FrequencyCap = DEFAULT_DEALERSHIP_CAP,
): FrequencyVerdict {
  const nowMs = now.getTime();
  let earliest = nowMs;
  let limitedBy: FrequencyLimit | null = null;

  const stateCap = maxMessagesPer24h(e164);
  if (stateCap) {
    const sameCampaign = history.filter((s) => s.campaignId === campaignId).map((s) => s.sentAt);
    const at = earliestUnderCap(sameCampaign, stateCap, now).getTime();
    if (at > earliest) [earliest, limitedBy] = [at, "state_campaign_cap"];
  }
  const at = earliestUnderCap(
    history.map((s) => s.sentAt),
    dealershipCap,
    now,
  ).getTime();
  if (at > earliest) [earliest, limitedBy] = [at, "dealership_cap"];

  // A postponement lands on a whole minute (never early), like the send windows.
  if (earliest > nowMs) earliest = Math.ceil(earliest / MINUTE_MS) * MINUTE_MS;
  return { earliest: new Date(earliest), limitedBy };
}
