import type { Metadata } from "next";
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
  const counts = await ctx.run(countLeadsByStatus);
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
    </section>
  );
}
