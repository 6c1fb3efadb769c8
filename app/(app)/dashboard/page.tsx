import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { countLeadsByStatus } from "@/lib/leads/lead-queries";
import { getUserContext } from "@/lib/server/user-context";

export const metadata: Metadata = { title: "Dashboard" };

const TILES = [
  ["total", "All leads"],
  ["new", "New"],
  ["engaged", "Engaged"],
  ["appointment_set", "Appointments"],
  ["sold", "Sold"],
  ["lost", "Lost"],
  ["opted_out", "Opted out"],
] as const;

export default async function DashboardPage() {
  const ctx = await getUserContext();
  if (!ctx) redirect("/login");
  const counts = await ctx.run((tx) => countLeadsByStatus(tx, ctx.active.dealershipId));
  return (
    <section>
      <h1 className="text-2xl font-semibold" data-test="dashboard-title">
        {ctx.active.dealershipName}
      </h1>
      <p className="text-sm text-slate-500">{ctx.active.role === "rep" ? "Your assigned leads" : "All leads of the dealership"}</p>
      <div className="mt-6 grid grid-cols-2 gap-4 md:grid-cols-3 lg:grid-cols-7">
        {TILES.map(([key, label]) => (
          <div key={key} className="rounded-lg bg-white p-4 shadow-sm" data-test={`count-${key}`}>
            <p className="text-sm text-slate-500">{label}</p>
            <p className="text-3xl font-bold" data-test="count-value">
              {counts[key]}
            </p>
          </div>
        ))}
      </div>
    </section>
  );
}
