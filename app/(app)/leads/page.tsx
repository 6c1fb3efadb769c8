import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { z } from "zod";
import { listLeads } from "@/lib/leads/lead-queries";
import { getUserContext } from "@/lib/server/user-context";

export const metadata: Metadata = { title: "Leads" };

const PAGE_SIZE = 50;
const querySchema = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) });

export default async function LeadsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await getUserContext();
  if (!ctx) redirect("/login");
  const { page } = querySchema.parse(await searchParams);
  const leads = await ctx.run((tx) => listLeads(tx, ctx.active.dealershipId, { limit: PAGE_SIZE + 1, offset: (page - 1) * PAGE_SIZE }));
  const hasNext = leads.length > PAGE_SIZE;
  return (
    <section>
      <h1 className="text-2xl font-semibold">Leads</h1>
      <table className="mt-6 w-full overflow-hidden rounded-lg bg-white text-left text-sm shadow-sm" data-test="leads-table">
        <thead className="bg-slate-100 text-slate-600">
          <tr>
            <th className="px-3 py-2">Name</th>
            <th className="px-3 py-2">Phone</th>
            <th className="px-3 py-2">Vehicle interest</th>
            <th className="px-3 py-2">Status</th>
            <th className="px-3 py-2">Consent</th>
            <th className="px-3 py-2">Source</th>
          </tr>
        </thead>
        <tbody>
          {leads.slice(0, PAGE_SIZE).map((lead) => (
            <tr key={lead.id} className="border-t border-slate-100" data-test="lead-row">
              <td className="px-3 py-2">
                <Link href={`/leads/${lead.id}`} className="text-brand-700 hover:underline">
                  {[lead.pii.firstName, lead.pii.lastName].filter(Boolean).join(" ") || "(no name)"}
                </Link>
              </td>
              <td className="px-3 py-2 font-mono">{lead.pii.phone}</td>
              <td className="px-3 py-2">{[lead.pii.vehicleYear, lead.pii.vehicleMake, lead.pii.vehicleModel].filter(Boolean).join(" ") || "—"}</td>
              <td className="px-3 py-2">{lead.status.replace("_", " ")}</td>
              <td className="px-3 py-2">{lead.consentStatus.replace("_", " ")}</td>
              <td className="px-3 py-2">{lead.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {leads.length === 0 ? <p className="mt-4 text-slate-500">No leads yet.</p> : null}
      <div className="mt-4 flex gap-4 text-sm">
        {page > 1 ? <Link href={`/leads?page=${page - 1}`}>← Previous</Link> : null}
        {hasNext ? <Link href={`/leads?page=${page + 1}`}>Next →</Link> : null}
      </div>
    </section>
  );
}
