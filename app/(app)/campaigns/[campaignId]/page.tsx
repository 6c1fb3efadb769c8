import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EXCLUSION_REASON_LABELS, EXCLUSION_REASONS } from "@/lib/campaigns/audience";
import { campaignParamsSchema } from "@/lib/campaigns/campaign-params.schema";
import {
  campaignReplies,
  campaignTimeline,
  getCampaign,
  type PostponedReason,
  type TimelineBucket,
} from "@/lib/campaigns/campaign-queries";
import { campaignProgressVersion } from "@/lib/campaigns/progress-version";
import { formatUtcTimestamp } from "@/lib/format/timestamp";
import { formatPhoneForDisplay } from "@/lib/leads/phone";
import { requireUserPage } from "@/lib/server/require-user-page";
import { campaignRepliesByIntent } from "@/lib/triage/campaign-intents";
import { INTENT_LABELS } from "@/lib/triage/intents";
import { CampaignStatusBadge } from "../_components/campaign-status-badge";
import { ProgressBar } from "../_components/progress-bar";
import { CampaignChart } from "./_components/campaign-chart";
import { CampaignControls } from "./_components/campaign-controls";
import { CampaignPoller } from "./_components/campaign-poller";

export const metadata: Metadata = { title: "Campaign" };

const WAITING_LABELS: Record<PostponedReason, string> = {
  outside_window: "waiting for the recipient's legal sending hours",
  frequency_cap: "waiting for the frequency cap",
  retry: "waiting to retry after a temporary Twilio error",
  no_window: "waiting: no legal sending time found yet",
};

/** Chart buckets: the smallest of these that gives at most ~48 bars since the launch. */
const BUCKETS = [1, 5, 15, 30, 60, 120, 360, 720, 1440];
function bucketMinutesFor(since: Date | null): number {
  const minutes = since ? (Date.now() - since.getTime()) / 60_000 : 0;
  return BUCKETS.find((b) => minutes / b <= 48) ?? 1440;
}

/** The buckets from the first to the last with activity, quiet ones as zeros, so time reads evenly. */
function withQuietBuckets(points: TimelineBucket[], bucketMinutes: number): TimelineBucket[] {
  if (points.length < 2) return points;
  const step = bucketMinutes * 60_000;
  const byTime = new Map(points.map((p) => [p.at.getTime(), p]));
  const out: TimelineBucket[] = [];
  for (let t = points[0]!.at.getTime(); t <= points.at(-1)!.at.getTime(); t += step) {
    out.push(byTime.get(t) ?? { at: new Date(t), sent: 0, delivered: 0, replies: 0 });
  }
  return out;
}

const percent = (r: number) => `${(r * 100).toFixed(r > 0 && r < 0.1 ? 1 : 0)}%`;

export default async function CampaignPage({ params }: { params: Promise<{ campaignId: string }> }) {
  const ctx = await requireUserPage({
    permission: "campaigns.view",
    params: { schema: campaignParamsSchema, value: params },
  });
  const { campaignId } = ctx.params;
  const data = await ctx.run(async (scope) => {
    const campaign = await getCampaign(scope, campaignId);
    if (!campaign) return null;
    const bucket = bucketMinutesFor(campaign.launchedAt);
    return {
      campaign,
      timeline: withQuietBuckets(await campaignTimeline(scope, campaignId, bucket), bucket),
      replies: await campaignReplies(scope, campaignId, 50),
      intents: await campaignRepliesByIntent(scope, campaignId),
    };
  });
  if (!data) notFound();
  const { campaign: c, timeline, replies, intents } = data;
  const p = c.progress;
  const region = ctx.active.region;
  const tiles: [string, string, number][] = [
    ["queued", "Queued", p.queued + p.sending],
    ["sent", "Sent", p.sent + p.delivered],
    ["delivered", "Delivered", p.delivered],
    ["failed", "Failed", p.failed],
    ["replied", "Replied", p.replied],
    ["opted-out", "Opted out", p.optedOut],
  ];
  const waiting = Object.entries(c.waiting).filter(([, n]) => n > 0) as [PostponedReason, number][];
  const exclusions = EXCLUSION_REASONS.map((r) => [r, c.exclusions[r]] as const).filter(([, n]) => n > 0);
  const sender = c.sendingNumber
    ? c.sendingNumber.phoneNumber
      ? formatPhoneForDisplay(c.sendingNumber.phoneNumber, region)
      : `Messaging Service ${c.sendingNumber.messagingServiceSid}`
    : "a removed number";

  return (
    <section className="space-y-6" data-test="campaign-page" data-campaign-id={c.id}>
      <CampaignPoller campaignId={c.id} version={campaignProgressVersion(c)} />
      <div className="space-y-2">
        <Link href="/campaigns" className="text-sm text-brand-700 hover:underline">
          ← All campaigns
        </Link>
        <div className="flex flex-wrap items-center justify-between gap-4">
          <h1 className="flex items-center gap-3 text-2xl font-semibold">
            <span data-test="campaign-name-heading">{c.name}</span>
            <CampaignStatusBadge status={c.status} />
          </h1>
          {ctx.can("campaigns.manage") ? <CampaignControls campaignId={c.id} status={c.status} /> : null}
        </div>
        <p className="text-sm text-slate-600">
          From {sender} · created {formatUtcTimestamp(c.createdAt)} UTC
          {c.launchedAt ? ` · launched ${formatUtcTimestamp(c.launchedAt)} UTC` : ""}
          {c.status === "scheduled" && c.scheduledAt ? ` · starts ${formatUtcTimestamp(c.scheduledAt)} UTC` : ""}
          {c.completedAt ? ` · finished ${formatUtcTimestamp(c.completedAt)} UTC` : ""}
          {c.canceledAt ? ` · canceled ${formatUtcTimestamp(c.canceledAt)} UTC` : ""}
        </p>
      </div>

      {c.status === "paused" ? (
        <p className="rounded-md bg-amber-50 px-4 py-3 text-amber-900" role="status" data-test="campaign-paused">
          {/* A stored reason is a whole sentence ("Paused automatically: …", "Paused because the dealership was closed …"). */}
          {c.pauseReason ? (
            <span data-test="campaign-pause-reason">{c.pauseReason}</span>
          ) : (
            <>
              <strong>Paused</strong> by a team member.
            </>
          )}{" "}
          Nothing more is sent until it is resumed.
        </p>
      ) : null}

      <div className="space-y-3 rounded-lg bg-white p-6 shadow-sm" data-test="campaign-progress">
        <div className="flex flex-wrap items-center justify-between gap-4">
          <h2 className="font-semibold">Progress</h2>
          <ProgressBar done={p.sent + p.delivered + p.failed} total={p.recipients} label="Messages sent" />
        </div>
        <dl className="grid grid-cols-2 gap-4 md:grid-cols-3 lg:grid-cols-6">
          {tiles.map(([key, label, value]) => (
            <div key={key} className="rounded-md bg-slate-50 p-3" data-test={`campaign-count-${key}`}>
              <dt className="text-sm text-slate-600">{label}</dt>
              <dd className="text-2xl font-bold" data-test="campaign-count-value">
                {value}
              </dd>
            </div>
          ))}
        </dl>
        <p className="text-sm text-slate-600">
          Reply rate <strong data-test="campaign-reply-rate">{percent(c.rates.reply)}</strong> (automatic replies not
          counted) · opt-out rate <strong data-test="campaign-opt-out-rate">{percent(c.rates.optOut)}</strong> ·
          delivery rate <strong>{percent(c.rates.delivery)}</strong>
          {p.canceled > 0 ? ` · ${p.canceled} not sent (canceled)` : ""}
        </p>
        {waiting.length > 0 ? (
          <ul className="text-sm text-slate-600" data-test="campaign-waiting">
            {waiting.map(([reason, n]) => (
              <li key={reason}>
                {n} {WAITING_LABELS[reason]}
              </li>
            ))}
          </ul>
        ) : null}
      </div>

      <div className="grid grid-cols-1 gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="space-y-3 rounded-lg bg-white p-6 shadow-sm">
          <h2 className="font-semibold">Sends and replies over time</h2>
          <CampaignChart
            points={timeline.map((t) => ({
              at: t.at.toISOString(),
              sent: t.sent,
              delivered: t.delivered,
              replies: t.replies,
            }))}
          />
        </div>
        <div className="space-y-3 rounded-lg bg-white p-6 shadow-sm" data-test="campaign-exclusions">
          <h2 className="font-semibold">Left out</h2>
          {exclusions.length === 0 ? (
            <p className="text-sm text-slate-500">Nobody in the audience was left out.</p>
          ) : (
            <table className="w-full text-sm">
              <caption className="sr-only">Leads left out of the campaign, by reason</caption>
              <tbody>
                {exclusions.map(([reason, n]) => (
                  <tr key={reason} data-test="campaign-exclusion-row" data-reason={reason}>
                    <td className="py-0.5 text-slate-700">{EXCLUSION_REASON_LABELS[reason]}</td>
                    <td className="py-0.5 text-right font-mono">{n}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2 className="pt-2 font-semibold">Message</h2>
          <p className="rounded-md bg-slate-50 p-3 font-mono text-sm whitespace-pre-wrap" data-test="campaign-template">
            {c.template}
          </p>
        </div>
      </div>

      <div className="space-y-3 rounded-lg bg-white p-6 shadow-sm" data-test="campaign-replies-by-intent">
        <h2 className="font-semibold">Replies by intent</h2>
        {intents.byIntent.length === 0 ? (
          <p className="text-sm text-slate-500">No replies yet.</p>
        ) : (
          <table className="w-full max-w-md text-sm">
            <caption className="sr-only">Replies to this campaign by intent</caption>
            <thead>
              <tr className="text-left text-slate-600">
                <th scope="col" className="py-0.5 font-medium">
                  Intent
                </th>
                <th scope="col" className="py-0.5 text-right font-medium">
                  Replies
                </th>
                <th scope="col" className="py-0.5 text-right font-medium">
                  Leads
                </th>
              </tr>
            </thead>
            <tbody>
              {intents.byIntent.map((row) => (
                <tr key={row.intent} data-test="campaign-intent-row" data-intent={row.intent}>
                  <td className="py-0.5 text-slate-700">
                    {row.intent === "untriaged" ? (
                      "Not sorted"
                    ) : (
                      <Link href={`/inbox?show=${row.intent}`} className="text-brand-700 hover:underline">
                        {INTENT_LABELS[row.intent]}
                      </Link>
                    )}
                  </td>
                  <td className="py-0.5 text-right font-mono" data-test="campaign-intent-replies">
                    {row.replies}
                  </td>
                  <td className="py-0.5 text-right font-mono">{row.leads}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {intents.autoReplies > 0 ? (
          <p className="text-sm text-slate-600">
            {intents.autoReplies} automatic {intents.autoReplies === 1 ? "reply is" : "replies are"} not counted in the
            reply rate.
          </p>
        ) : null}
      </div>

      <div className="space-y-3 rounded-lg bg-white p-6 shadow-sm" data-test="campaign-replies">
        <h2 className="font-semibold">Replies</h2>
        {replies.length === 0 ? (
          <p className="text-sm text-slate-500">No replies yet. They appear here as they arrive.</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {replies.map((r) => (
              <li key={r.messageId} className="py-2" data-test="campaign-reply" data-lead-id={r.leadId}>
                <Link href={`/inbox/${r.leadId}`} className="group block" data-test="campaign-reply-link">
                  <span className="flex flex-wrap items-baseline gap-x-3">
                    <span className="font-medium text-brand-700 group-hover:underline">
                      {r.name ?? (r.phone ? formatPhoneForDisplay(r.phone, region) : "Unknown lead")}
                    </span>
                    <span className="text-xs text-slate-500">{formatUtcTimestamp(r.at)} UTC</span>
                    {r.optedOut ? (
                      <span className="rounded bg-slate-200 px-1.5 text-xs text-slate-700">opted out</span>
                    ) : null}
                  </span>
                  <span className="block text-sm text-slate-700" data-test="campaign-reply-preview">
                    {r.preview}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
