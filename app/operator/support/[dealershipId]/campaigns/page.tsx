import type { Metadata } from "next";
import { listCampaigns } from "@/lib/campaigns/campaign-queries";
import { formatUtcTimestamp } from "@/lib/format/timestamp";
import { requireSupportPage } from "@/lib/server/require-support-page";
import { supportParamsSchema } from "@/lib/support/support-params.schema";
import { SupportFrame } from "../_components/support-frame";

export const metadata: Metadata = { title: "Support: campaigns" };

/** The dealership's campaigns and their progress, under a support grant (audited, read-only). */
export default async function SupportCampaignsPage({ params }: { params: Promise<unknown> }) {
  const ctx = await requireSupportPage({ page: "campaigns", params: { schema: supportParamsSchema, value: params } });
  const campaigns = await ctx.run((scope) => listCampaigns(scope));
  return (
    <SupportFrame
      dealershipId={ctx.params.dealershipId}
      dealershipName={ctx.grant.dealershipName}
      expiresAt={ctx.grant.expiresAt}
      title="Campaigns"
    >
      <table className="w-full text-left text-sm" data-test="support-campaigns">
        <caption className="sr-only">Campaigns</caption>
        <thead className="border-b border-slate-300">
          <tr>
            <th scope="col" className="py-2 pr-4">
              Campaign
            </th>
            <th scope="col" className="py-2 pr-4">
              Status
            </th>
            <th scope="col" className="py-2 pr-4">
              Launched
            </th>
            <th scope="col" className="py-2 pr-4">
              Recipients
            </th>
            <th scope="col" className="py-2 pr-4">
              Sent
            </th>
            <th scope="col" className="py-2 pr-4">
              Delivered
            </th>
            <th scope="col" className="py-2 pr-4">
              Failed
            </th>
            <th scope="col" className="py-2 pr-4">
              Replied
            </th>
            <th scope="col" className="py-2 pr-4">
              Opted out
            </th>
            <th scope="col" className="py-2 pr-4">
              Paused because
            </th>
          </tr>
        </thead>
        <tbody>
          {campaigns.map((c) => (
            <tr key={c.id} className="border-b border-slate-200" data-test="support-campaign-row">
              <th scope="row" className="py-2 pr-4 font-medium">
                {c.name}
              </th>
              <td className="py-2 pr-4">{c.status}</td>
              <td className="py-2 pr-4 whitespace-nowrap">
                {c.launchedAt ? `${formatUtcTimestamp(c.launchedAt)} UTC` : "—"}
              </td>
              <td className="py-2 pr-4">{c.progress.recipients}</td>
              <td className="py-2 pr-4">{c.progress.sent}</td>
              <td className="py-2 pr-4">{c.progress.delivered}</td>
              <td className="py-2 pr-4">{c.progress.failed}</td>
              <td className="py-2 pr-4">{c.progress.replied}</td>
              <td className="py-2 pr-4">{c.progress.optedOut}</td>
              <td className="py-2 pr-4">{c.pauseReason ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {campaigns.length === 0 ? <p className="text-slate-600">No campaigns.</p> : null}
    </SupportFrame>
  );
}
