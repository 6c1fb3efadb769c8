import type { Metadata } from "next";
import Link from "next/link";
import { listCampaigns } from "@/lib/campaigns/campaign-queries";
import { formatUtcTimestamp } from "@/lib/format/timestamp";
import { requireUserPage } from "@/lib/server/require-user-page";
import { CampaignStatusBadge } from "./_components/campaign-status-badge";
import { ProgressBar } from "./_components/progress-bar";

export const metadata: Metadata = { title: "Campaigns" };

export default async function CampaignsPage() {
  const ctx = await requireUserPage({ permission: "campaigns.view" });
  const campaigns = await ctx.run((scope) => listCampaigns(scope));
  return (
    <section className="space-y-4">
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">Campaigns</h1>
        {ctx.can("campaigns.manage") ? (
          <Link
            href="/campaigns/new"
            className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white"
            data-test="campaign-new"
          >
            New campaign
          </Link>
        ) : null}
      </div>
      {campaigns.length === 0 ? (
        <p
          className="rounded-md border border-dashed border-slate-300 bg-white p-6 text-slate-600"
          data-test="campaigns-empty"
        >
          No campaigns yet.{" "}
          {ctx.can("campaigns.manage")
            ? "Start one to text your dormant leads, at the legal hours of each, and watch the replies come back."
            : "Owners, admins and managers start them."}
        </p>
      ) : (
        <table
          className="w-full overflow-hidden rounded-lg bg-white text-left text-sm shadow-sm"
          data-test="campaigns-table"
        >
          <thead className="bg-slate-100 text-slate-600">
            <tr>
              <th className="px-3 py-2">Name</th>
              <th className="px-3 py-2">Status</th>
              <th className="px-3 py-2">Progress</th>
              <th className="px-3 py-2">Replies</th>
              <th className="px-3 py-2">Created (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {campaigns.map((c) => {
              const p = c.progress;
              const done = p.sent + p.delivered + p.failed;
              return (
                <tr key={c.id} className="border-t border-slate-100" data-test="campaign-row" data-campaign-id={c.id}>
                  <td className="px-3 py-2">
                    <Link
                      href={`/campaigns/${c.id}`}
                      className="text-brand-700 hover:underline"
                      data-test="campaign-link"
                    >
                      {c.name}
                    </Link>
                  </td>
                  <td className="px-3 py-2">
                    <CampaignStatusBadge status={c.status} />
                  </td>
                  <td className="px-3 py-2">
                    <ProgressBar done={done} total={p.recipients} label={`${c.name}: sent`} />
                  </td>
                  <td className="px-3 py-2">{p.replied}</td>
                  <td className="px-3 py-2 whitespace-nowrap">{formatUtcTimestamp(c.createdAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
