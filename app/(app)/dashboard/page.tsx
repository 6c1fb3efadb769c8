import type { Metadata } from "next";
import Link from "next/link";
import { listCampaigns } from "@/lib/campaigns/campaign-queries";
import { countLeadsByStatus } from "@/lib/leads/lead-queries";
import { LEAD_STATUS_LABELS, LEAD_STATUSES } from "@/lib/leads/lead-status";
import { requireUserPage } from "@/lib/server/require-user-page";

export const metadata: Metadata = { title: "Dashboard" };

const TILES = [
  ["total", "All leads"],
  ...LEAD_STATUSES.map((status) => [status, LEAD_STATUS_LABELS[status]] as const),
] as const;

export default async function DashboardPage() {
  const ctx = await requireUserPage();
  const { counts, latest } = await ctx.run(async (scope) => ({
    counts: await countLeadsByStatus(scope),
    latest: ctx.can("campaigns.view") ? ((await listCampaigns(scope, 1))[0] ?? null) : null,
  }));
  return (
    <section>
      <h1 className="text-2xl font-semibold" data-test="dashboard-title">
        {ctx.active.dealershipName}
      </h1>
      <p className="text-sm text-slate-500">
        {ctx.can("leads.view_all") ? "All leads of the dealership" : "Your assigned leads"}
      </p>
      <div className="mt-6 grid grid-cols-2 gap-4 md:grid-cols-3 lg:grid-cols-7">
        {TILES.map(([key, label]) => (
          <div key={key} className="rounded-lg bg-white p-4 shadow-sm" data-test={`count-${key}`}>
            <p className="text-sm text-slate-500 first-letter:uppercase">{label}</p>
            <p className="text-3xl font-bold" data-test="count-value">
              {counts[key]}
            </p>
          </div>
        ))}
      </div>
      {latest ? (
        <Link
          href={`/campaigns/${latest.id}`}
          className="mt-6 block max-w-xl rounded-lg bg-white p-4 shadow-sm hover:bg-slate-50"
          data-test="dashboard-latest-campaign"
        >
          <p className="text-sm text-slate-500">Latest campaign · {latest.status}</p>
          <p className="font-semibold text-brand-700">{latest.name}</p>
          <p className="text-sm text-slate-600">
            {latest.progress.delivered} delivered of {latest.progress.recipients} · {latest.progress.replied}{" "}
            {latest.progress.replied === 1 ? "reply" : "replies"} · {latest.progress.optedOut} opted out
          </p>
        </Link>
      ) : null}
    </section>
  );
}
