import "server-only";
/**
 * The send worker's database calls, each one transaction as the sms_sender service role, which
 * may execute only these definer functions (supabase/migrations/*_campaign_worker.sql) and read
 * or write no table. No transaction stays open while Twilio is called.
 */
import { withService } from "@/lib/db/scope";
import type { EncryptedLeadRow } from "@/lib/leads/lead-fields";
import type { CampaignStatus } from "../campaigns";

/** A campaign with due rows. */
export interface DueCampaign {
  campaign_id: string;
  dealership_id: string;
}

/** What sending a campaign needs. */
export interface SendContext {
  campaign_id: string;
  dealership_id: string;
  status: CampaignStatus;
  template: string;
  dealership_name: string;
  sending_number_id: string | null;
  from_number: string | null;
  messaging_service_sid: string | null;
  opt_out_footer: string;
  frequency_cap_messages: number;
  frequency_cap_days: number;
  per_number_per_second: string;
  send_hours: unknown;
  auto_pause: unknown;
  auto_pause_baseline: Record<string, number> | null;
}

/** A claimed row with its lead (the whole leads row as JSON: decrypted by lib/leads). */
export interface ClaimedRecipient {
  recipient_id: string;
  lead_id: string;
  attempts: number;
  claim_token: string;
  lead: EncryptedLeadRow;
  rep_name: string | null;
  first_message: boolean;
  history: { campaignId: string; sentAt: string }[];
}

/** A message to write 'pending' before Twilio is called. */
export interface PendingMessage {
  recipientId: string;
  messageId: string;
  bodyEnc: string;
  segments: number;
}

export type MessageVerdict = { recipient_id: string; verdict: string; not_before: Date | null };

/** What became of a claimed row (see record_campaign_results). */
export interface RecipientResult {
  recipientId: string;
  outcome: "sent" | "failed" | "retry" | "postpone" | "release" | "unknown";
  twilioSid?: string;
  twilioStatus?: string;
  errorCode?: number | null;
  failureKind?: string | null;
  phoneMark?: string | null;
  retryAt?: Date | null;
  postponedReason?: string | null;
}

/** An expired claim whose message Twilio may or may not have. */
export interface OrphanClaim {
  recipient_id: string;
  claim_token: string;
  campaign_id: string;
  dealership_id: string;
  message_id: string;
  message_created_at: Date;
  body_enc: string;
  lead: EncryptedLeadRow;
  from_number: string | null;
  messaging_service_sid: string | null;
}

/** Counts for auto-pause (lib/campaigns/twilio-errors.ts CampaignOutcomeCounts). */
export interface OutcomeCounts {
  attempted: number;
  failed: number;
  filtered: number;
  optedOut: number;
}

/** Start due scheduled campaigns, complete finished ones; the campaigns with due rows (of some dealerships, or all). */
export function tick(now: Date, dealershipIds: string[] | null): Promise<DueCampaign[]> {
  return withService("sms_sender", async ({ sql }) => [
    ...(await sql<DueCampaign[]>`select * from private.campaign_worker_tick(${now}, ${dealershipIds}::uuid[])`),
  ]);
}

/** The campaign's template, sender and the dealership's settings. */
export function sendContext(campaignId: string): Promise<SendContext | undefined> {
  return withService("sms_sender", async ({ sql }) => {
    const [row] = await sql<SendContext[]>`select * from private.campaign_send_context(${campaignId})`;
    return row;
  });
}

/** Claim due rows (consent and the do-not-contact list are re-checked in the claiming statement). */
export function claim(campaignId: string, now: Date, limit: number, leaseSeconds: number): Promise<ClaimedRecipient[]> {
  return withService("sms_sender", async ({ sql }) => [
    ...(await sql<ClaimedRecipient[]>`
      select recipient_id::text, lead_id, attempts, claim_token, lead, rep_name, first_message, history
      from private.claim_campaign_recipients(${campaignId}, ${now}, ${limit}, ${leaseSeconds})`),
  ]);
}

/** Reserve `count` send slots on a number at `perSecond`; returns the first slot's time. */
export function reserveSlots(sendingNumberId: string, count: number, perSecond: number, now: Date): Promise<Date> {
  return withService("sms_sender", async ({ sql }) => {
    const [row] = await sql<{ at: Date }[]>`
      select private.reserve_campaign_send_slots(${sendingNumberId}, ${count}, ${perSecond}, ${now}) as at`;
    return row!.at;
  });
}

/** Write the messages 'pending' (after the last checks); one verdict per row. */
export function recordMessages(claimToken: string, now: Date, messages: PendingMessage[]): Promise<MessageVerdict[]> {
  if (messages.length === 0) return Promise.resolve([]);
  const payload = messages.map((m) => ({
    recipient_id: Number(m.recipientId),
    message_id: m.messageId,
    body_enc: m.bodyEnc,
    segments: m.segments,
  }));
  return withService("sms_sender", async ({ sql }) => [
    ...(await sql<MessageVerdict[]>`
      select recipient_id::text, verdict, not_before
      from private.record_campaign_messages(${claimToken}, ${now}, ${sql.json(payload)})`),
  ]);
}

/** Record what became of claimed rows. */
export async function recordResults(claimToken: string, now: Date, results: RecipientResult[]): Promise<number> {
  if (results.length === 0) return 0;
  const payload = results.map((r) => ({
    recipient_id: Number(r.recipientId),
    outcome: r.outcome,
    twilio_sid: r.twilioSid ?? null,
    twilio_status: r.twilioStatus ?? null,
    error_code: r.errorCode ?? null,
    failure_kind: r.failureKind ?? null,
    phone_mark: r.phoneMark ?? null,
    retry_at: r.retryAt?.toISOString() ?? null,
    postponed_reason: r.postponedReason ?? null,
  }));
  return withService("sms_sender", async ({ sql }) => {
    const [row] = await sql<{ n: number }[]>`
      select private.record_campaign_results(${claimToken}, ${now}, ${sql.json(payload)}) as n`;
    return row!.n;
  });
}

/** Release expired claims; the ones with a pending message come back to be checked against Twilio. */
export function reconcileExpired(
  now: Date,
  limit: number,
  leaseSeconds: number,
  dealershipIds: string[] | null,
): Promise<OrphanClaim[]> {
  return withService("sms_sender", async ({ sql }) => [
    ...(await sql<OrphanClaim[]>`
      select recipient_id::text, claim_token, campaign_id, dealership_id, message_id, message_created_at, body_enc,
             lead, from_number, messaging_service_sid
      from private.reconcile_campaign_claims(${now}, ${limit}, ${leaseSeconds}, ${dealershipIds}::uuid[])`),
  ]);
}

/** The campaign's outcome counts so far. */
export function outcomes(campaignId: string): Promise<OutcomeCounts> {
  return withService("sms_sender", async ({ sql }) => {
    const [row] = await sql<{ counts: OutcomeCounts }[]>`select private.campaign_outcomes(${campaignId}) as counts`;
    return row!.counts;
  });
}

/** Pause the campaign with a reason shown on its page; false when it was not sending. */
export function autoPause(campaignId: string, reason: string, metric: string): Promise<boolean> {
  return withService("sms_sender", async ({ sql }) => {
    const [row] = await sql<{ paused: boolean }[]>`
      select private.auto_pause_campaign(${campaignId}, ${reason}, ${metric}) as paused`;
    return row!.paused;
  });
}
