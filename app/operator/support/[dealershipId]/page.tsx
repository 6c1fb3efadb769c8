import type { Metadata } from "next";
import { requireSupportPage } from "@/lib/server/require-support-page";
import { supportOverview } from "@/lib/support/support-overview";
import { supportParamsSchema } from "@/lib/support/support-params.schema";
import { SupportFrame } from "./_components/support-frame";

export const metadata: Metadata = { title: "Support: overview" };

/** The dealership under a support grant: its status and the size of its data (audited, read-only). */
export default async function SupportOverviewPage({ params }: { params: Promise<unknown> }) {
  const ctx = await requireSupportPage({ page: "", params: { schema: supportParamsSchema, value: params } });
  const overview = await ctx.run((scope) => supportOverview(scope));
  const facts: [string, string | number][] = overview
    ? [
        ["Status", overview.status],
        ["Time zone", overview.timezone],
        ["Leads", overview.leads],
        ["Conversations", overview.conversations],
        ["Campaigns", overview.campaigns],
        ["Imports", overview.imports],
        ["Sending numbers", overview.sendingNumbers],
      ]
    : [];
  return (
    <SupportFrame
      dealershipId={ctx.params.dealershipId}
      dealershipName={ctx.grant.dealershipName}
      expiresAt={ctx.grant.expiresAt}
      title="Overview"
    >
      <dl className="grid max-w-md grid-cols-2 gap-2 text-sm" data-test="support-overview">
        {facts.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-slate-600">{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </SupportFrame>
  );
}
