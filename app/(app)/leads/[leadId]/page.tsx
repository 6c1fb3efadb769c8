import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { getLead } from "@/lib/leads/lead-queries";
import { getUserContext } from "@/lib/server/user-context";

export const metadata: Metadata = { title: "Lead" };

export default async function LeadPage({ params }: { params: Promise<{ leadId: string }> }) {
  const ctx = await getUserContext();
  if (!ctx) redirect("/login");
  const leadId = z.uuid().safeParse((await params).leadId);
  if (!leadId.success) notFound();
  // RLS returns nothing for another dealership's lead (or another rep's): same 404 as a missing one.
  const lead = await ctx.run((tx) => getLead(tx, ctx.active.dealershipId, leadId.data));
  if (!lead) notFound();
  const rows: [string, string | null | undefined][] = [
    ["First name", lead.pii.firstName],
    ["Last name", lead.pii.lastName],
    ["Phone", lead.pii.phone],
    ["E-mail", lead.pii.email],
    ["Vehicle", [lead.pii.vehicleYear, lead.pii.vehicleMake, lead.pii.vehicleModel, lead.pii.vehicleTrim].filter(Boolean).join(" ")],
    ["VIN", lead.pii.vehicleVin],
    ["Notes", lead.pii.notes],
    ["Status", lead.status.replace("_", " ")],
    ["Consent", `${lead.consentStatus.replace("_", " ")}${lead.consentSource ? ` (${lead.consentSource})` : ""}`],
    ["Source", lead.source],
  ];
  return (
    <section data-test="lead-detail">
      <h1 className="text-2xl font-semibold">{[lead.pii.firstName, lead.pii.lastName].filter(Boolean).join(" ") || "Lead"}</h1>
      <dl className="mt-6 grid max-w-2xl grid-cols-3 gap-x-4 gap-y-2 rounded-lg bg-white p-6 shadow-sm">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-sm text-slate-500">{label}</dt>
            <dd className="col-span-2 whitespace-pre-wrap">{value || "—"}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
