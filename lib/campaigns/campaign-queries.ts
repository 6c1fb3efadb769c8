/**
 * Read side of campaigns, inside the user's RLS-scoped transaction (campaigns.view: every member).
 * Progress is counted from the send queue (campaign_recipients) on every read, never stored;
 * replies are the inbound messages attributed to the campaign (messages.campaign_id, set by the
 * database when a lead answers within 30 days of a campaign message), decrypted here.
 */
import type { ReadScope, UserScope } from "@/lib/db/scope";
import { UNREADABLE_LABEL } from "@/lib/leads/decrypt-failures";
import { LEAD_SUMMARY_COLUMNS, toLeadSummaries, type LeadSummaryRow } from "@/lib/leads/lead-queries";
import { DecryptionError } from "@/lib/crypto/field-cipher";
import { decryptMessageBody } from "@/lib/sms/message-body";
import { exclusionCounts, type ExclusionReason } from "./audience";
import type { CampaignStatus } from "./campaigns";

/** Where a campaign's recipients are. replied and optedOut overlap the others. */
export interface CampaignProgress {
  /** Rows that are or were to be texted (everything but skipped). */
  recipients: number;
  queued: number;
  sending: number;
  sent: number;
  delivered: number;
  failed: number;
  skipped: number;
  canceled: number;
  replied: number;
  optedOut: number;
}

/** Why queued rows wait: a window, a cap, a retry. */
export type PostponedReason = "outside_window" | "frequency_cap" | "retry" | "no_window";

/** A campaign in the list. */
export interface CampaignSummary {
  id: string;
  name: string;
  status: CampaignStatus;
  createdAt: Date;
  scheduledAt: Date | null;
  launchedAt: Date | null;
  completedAt: Date | null;
  pauseReason: string | null;
  progress: CampaignProgress;
}

/** A campaign's page. */
export interface CampaignDetail extends CampaignSummary {
  template: string;
  audience: Record<string, unknown>;
  sendingNumber: {
    id: string;
    phoneNumber: string | null;
    messagingServiceSid: string | null;
    label: string | null;
  } | null;
  pausedAt: Date | null;
  canceledAt: Date | null;
  /** Left out, by reason: at launch and since (a lead who opted out before their turn). */
  exclusions: Record<ExclusionReason, number>;
  /** What the launch enqueued and left out, as it computed then. */
  launchCounts: { enqueued: number; excluded: Record<ExclusionReason, number> } | null;
  /** Queued rows waiting, by why. */
  waiting: Record<PostponedReason, number>;
  /** replied / reached and optedOut / reached, where reached = sent + delivered (0 when none). */
  rates: { reply: number; optOut: number; delivery: number };
}

const PROGRESS_COLUMNS = `
  count(*) filter (where r.status <> 'skipped')::int as recipients,
  count(*) filter (where r.status = 'queued')::int as queued,
  count(*) filter (where r.status = 'sending')::int as sending,
  count(*) filter (where r.status = 'sent')::int as sent,
  count(*) filter (where r.status = 'delivered')::int as delivered,
  count(*) filter (where r.status = 'failed')::int as failed,
  count(*) filter (where r.status = 'skipped')::int as skipped,
  count(*) filter (where r.status = 'canceled')::int as canceled,
  count(*) filter (where r.replied_at is not null)::int as replied,
  count(*) filter (where r.opted_out_at is not null or r.failure_kind = 'opt_out')::int as opted_out`;

interface ProgressRow {
  recipients: number | null;
  queued: number | null;
  sending: number | null;
  sent: number | null;
  delivered: number | null;
  failed: number | null;
  skipped: number | null;
  canceled: number | null;
  replied: number | null;
  opted_out: number | null;
}

interface CampaignRow extends ProgressRow {
  id: string;
  name: string;
  status: CampaignStatus;
  created_at: Date;
  scheduled_at: Date | null;
  launched_at: Date | null;
  completed_at: Date | null;
  pause_reason: string | null;
}

function progressOf(r: ProgressRow): CampaignProgress {
  return {
    recipients: r.recipients ?? 0,
    queued: r.queued ?? 0,
    sending: r.sending ?? 0,
    sent: r.sent ?? 0,
    delivered: r.delivered ?? 0,
    failed: r.failed ?? 0,
    skipped: r.skipped ?? 0,
    canceled: r.canceled ?? 0,
    replied: r.replied ?? 0,
    optedOut: r.opted_out ?? 0,
  };
}

function summaryOf(r: CampaignRow): CampaignSummary {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    createdAt: r.created_at,
    scheduledAt: r.scheduled_at,
    launchedAt: r.launched_at,
    completedAt: r.completed_at,
    pauseReason: r.pause_reason,
    progress: progressOf(r),
  };
}

/** The dealership's campaigns, newest first, with their progress. */
export async function listCampaigns({ sql, dealershipId }: ReadScope, limit = 100): Promise<CampaignSummary[]> {
  const rows = await sql<CampaignRow[]>`
    select c.id, c.name, c.status, c.created_at, c.scheduled_at, c.launched_at, c.completed_at, c.pause_reason, p.*
    from public.campaigns c
    left join lateral (
      select ${sql.unsafe(PROGRESS_COLUMNS)} from public.campaign_recipients r where r.campaign_id = c.id
    ) p on true
    where c.dealership_id = ${dealershipId}
    order by c.created_at desc, c.id
    limit ${Math.min(Math.max(limit, 1), 500)}`;
  return rows.map(summaryOf);
}

/** One campaign of the scope's dealership with its progress and exclusions, or null. */
export async function getCampaign(
  { sql, dealershipId }: UserScope,
  campaignId: string,
): Promise<CampaignDetail | null> {
  if (!/^[0-9a-f-]{36}$/i.test(campaignId)) return null;
  const [c] = await sql<
    (CampaignRow & {
      template: string;
      audience: Record<string, unknown>;
      paused_at: Date | null;
      canceled_at: Date | null;
      launch_counts: { enqueued: number; excluded: Record<string, number> } | null;
      sending_number_id: string | null;
      phone_number: string | null;
      messaging_service_sid: string | null;
      label: string | null;
    })[]
  >`
    select c.id, c.name, c.status, c.created_at, c.scheduled_at, c.launched_at, c.completed_at, c.pause_reason,
           c.template, c.audience, c.paused_at, c.canceled_at, c.launch_counts, c.sending_number_id,
           s.phone_number, s.messaging_service_sid, s.label, p.*
    from public.campaigns c
    left join public.sending_numbers s on s.id = c.sending_number_id
    left join lateral (
      select ${sql.unsafe(PROGRESS_COLUMNS)} from public.campaign_recipients r where r.campaign_id = c.id
    ) p on true
    where c.dealership_id = ${dealershipId} and c.id = ${campaignId}`;
  if (!c) return null;
  const [skips, waits] = await Promise.all([
    sql<{ reason: string; n: number }[]>`
      select skip_reason as reason, count(*)::int as n from public.campaign_recipients
      where campaign_id = ${campaignId} and status = 'skipped' group by skip_reason`,
    sql<{ reason: PostponedReason; n: number }[]>`
      select postponed_reason as reason, count(*)::int as n from public.campaign_recipients
      where campaign_id = ${campaignId} and status = 'queued' and postponed_reason is not null group by postponed_reason`,
  ]);
  const summary = summaryOf(c);
  const p = summary.progress;
  const reached = p.sent + p.delivered;
  const rate = (n: number, of: number) => (of > 0 ? n / of : 0);
  return {
    ...summary,
    template: c.template,
    audience: c.audience,
    sendingNumber: c.sending_number_id
      ? {
          id: c.sending_number_id,
          phoneNumber: c.phone_number,
          messagingServiceSid: c.messaging_service_sid,
          label: c.label,
        }
      : null,
    pausedAt: c.paused_at,
    canceledAt: c.canceled_at,
    exclusions: exclusionCounts(Object.fromEntries(skips.map((s) => [s.reason, s.n]))),
    launchCounts: c.launch_counts
      ? { enqueued: c.launch_counts.enqueued, excluded: exclusionCounts(c.launch_counts.excluded) }
      : null,
    waiting: {
      outside_window: 0,
      frequency_cap: 0,
      retry: 0,
      no_window: 0,
      ...Object.fromEntries(waits.map((w) => [w.reason, w.n])),
    },
    rates: {
      reply: rate(p.replied, reached),
      optOut: rate(p.optedOut, reached),
      delivery: rate(p.delivered, reached + p.failed),
    },
  };
}

/** One bucket of the campaign chart. */
export interface TimelineBucket {
  at: Date;
  sent: number;
  delivered: number;
  replies: number;
}

/** Sends, deliveries and replies per `bucketMinutes` (1 to 1,440), oldest first, empty buckets left out. */
export async function campaignTimeline(
  { sql, dealershipId }: UserScope,
  campaignId: string,
  bucketMinutes: number,
): Promise<TimelineBucket[]> {
  const minutes = Math.min(Math.max(Math.round(bucketMinutes) || 1, 1), 1440);
  const rows = await sql<{ at: Date; sent: number; delivered: number; replies: number }[]>`
    with c as (
      select id, coalesce(launched_at, created_at) as origin from public.campaigns
      where dealership_id = ${dealershipId} and id = ${campaignId}
    ), events as (
      select r.sent_at as at, 1 as sent, 0 as delivered, 0 as replies
        from public.campaign_recipients r join c on r.campaign_id = c.id
       where r.sent_at is not null and r.status in ('sent', 'delivered', 'failed')
      union all
      select r.delivered_at, 0, 1, 0 from public.campaign_recipients r join c on r.campaign_id = c.id
       where r.delivered_at is not null
      union all
      select m.created_at, 0, 0, 1 from public.messages m join c on m.campaign_id = c.id
       where m.direction = 'inbound'
    )
    select date_bin(make_interval(mins => ${minutes}), e.at, (select origin from c)) as at,
           sum(e.sent)::int as sent, sum(e.delivered)::int as delivered, sum(e.replies)::int as replies
    from events e group by 1 order by 1`;
  return rows.map((r) => ({ at: r.at, sent: r.sent, delivered: r.delivered, replies: r.replies }));
}

/** A reply to a campaign, linked to its inbox thread (/inbox/{leadId}). */
export interface CampaignReply {
  leadId: string;
  messageId: string;
  conversationId: string;
  at: Date;
  /** The lead's name, decrypted; null when they have none (then show the phone). */
  name: string | null;
  phone: string | null;
  /** The start of the reply. */
  preview: string;
  /** The lead opted out after this campaign's message. */
  optedOut: boolean;
}

const PREVIEW_CHARS = 120;

/** The newest replies to a campaign the user may see (reps: their own leads'), newest first. */
export async function campaignReplies(scope: UserScope, campaignId: string, limit = 50): Promise<CampaignReply[]> {
  const { sql, dealershipId } = scope;
  const messages = await sql<
    { id: string; lead_id: string; conversation_id: string; body_enc: string; created_at: Date; opted_out: boolean }[]
  >`
    select m.id, m.lead_id, m.conversation_id, m.body_enc, m.created_at,
           coalesce((select r.opted_out_at is not null or r.failure_kind = 'opt_out' from public.campaign_recipients r
                     where r.campaign_id = m.campaign_id and r.lead_id = m.lead_id), false) as opted_out
    from public.messages m
    where m.dealership_id = ${dealershipId} and m.campaign_id = ${campaignId} and m.direction = 'inbound'
    order by m.created_at desc, m.id
    limit ${Math.min(Math.max(limit, 1), 200)}`;
  if (messages.length === 0) return [];
  const leadIds = [...new Set(messages.map((m) => m.lead_id))];
  const rows = await sql<LeadSummaryRow[]>`
    select ${sql.unsafe(LEAD_SUMMARY_COLUMNS)} from public.leads
    where dealership_id = ${dealershipId} and id in ${sql(leadIds)}`;
  const leads = new Map((await toLeadSummaries(scope, rows)).map((l) => [l.id, l]));
  return messages.map((m) => {
    const lead = leads.get(m.lead_id);
    const name = [lead?.pii.firstName, lead?.pii.lastName].filter(Boolean).join(" ") || null;
    let body: string;
    try {
      body = decryptMessageBody(m.body_enc, dealershipId, m.id);
    } catch (err) {
      if (!(err instanceof DecryptionError)) throw err;
      body = UNREADABLE_LABEL;
    }
    return {
      leadId: m.lead_id,
      messageId: m.id,
      conversationId: m.conversation_id,
      at: m.created_at,
      name,
      phone: lead?.pii.phone ?? null,
      preview: body.length > PREVIEW_CHARS ? `${body.slice(0, PREVIEW_CHARS - 1)}…` : body,
      optedOut: m.opted_out,
    };
  });
}
