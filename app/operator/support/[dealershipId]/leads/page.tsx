import type { Metadata } from "next";
import Link from "next/link";
import { UNREADABLE_LABEL } from "@/lib/leads/decrypt-failures";
import { listLeads, type LeadSummary } from "@/lib/leads/lead-queries";
import { CONSENT_STATUS_LABELS, LEAD_STATUS_LABELS } from "@/lib/leads/lead-status";
import { formatPhoneForDisplay } from "@/lib/leads/phone";
import { requireSupportPage } from "@/lib/server/require-support-page";
import { supportListQuerySchema, supportParamsSchema } from "@/lib/support/support-params.schema";
import { SupportFrame } from "../_components/support-frame";

export const metadata: Metadata = { title: "Support: leads" };

const PAGE_SIZE = 50;

const shown = (lead: LeadSummary, field: keyof LeadSummary["pii"]) =>
  lead.unreadable.includes(field) ? UNREADABLE_LABEL : lead.pii[field];

/** The dealership's leads under a support grant, newest activity first (audited, read-only). */
export default async function SupportLeadsPage({
  params,
  searchParams,
}: {
  params: Promise<unknown>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await requireSupportPage({ page: "leads", params: { schema: supportParamsSchema, value: params } });
  const { page } = supportListQuerySchema.parse(await searchParams);
  // One row more than a page says whether there is a next one.
  const rows = await ctx.run((scope) => listLeads(scope, { limit: PAGE_SIZE + 1, offset: (page - 1) * PAGE_SIZE }));
  const leads = rows.slice(0, PAGE_SIZE);
  const base = `/operator/support/${ctx.params.dealershipId}`;
  return (
    <SupportFrame
      dealershipId={ctx.params.dealershipId}
      dealershipName={ctx.grant.dealershipName}
      expiresAt={ctx.grant.expiresAt}
      title="Leads"
    >
      <table className="w-full text-left text-sm" data-test="support-leads">
        <caption className="sr-only">Leads</caption>
        <thead className="border-b border-slate-300">
          <tr>
            <th scope="col" className="py-2 pr-4">
              Name
            </th>
            <th scope="col" className="py-2 pr-4">
              Phone
            </th>
            <th scope="col" className="py-2 pr-4">
              Status
            </th>
            <th scope="col" className="py-2 pr-4">
              Consent
            </th>
            <th scope="col" className="py-2 pr-4">
              Source
            </th>
            <th scope="col" className="py-2 pr-4">
              Last activity
            </th>
          </tr>
        </thead>
        <tbody>
          {leads.map((lead) => (
            <tr key={lead.id} className="border-b border-slate-200" data-test="support-lead-row">
              <td className="py-2 pr-4">
                <Link href={`${base}/leads/${lead.id}`} className="text-brand-700 hover:underline">
                  {[shown(lead, "firstName"), shown(lead, "lastName")].filter(Boolean).join(" ") || "(no name)"}
                </Link>
              </td>
              <td className="py-2 pr-4 font-mono whitespace-nowrap">
                {lead.unreadable.includes("phone") ? UNREADABLE_LABEL : formatPhoneForDisplay(lead.pii.phone)}
              </td>
              <td className="py-2 pr-4">{LEAD_STATUS_LABELS[lead.status]}</td>
              <td className="py-2 pr-4">{CONSENT_STATUS_LABELS[lead.consentStatus]}</td>
              <td className="py-2 pr-4">{lead.source ?? "—"}</td>
              <td className="py-2 pr-4 whitespace-nowrap">
                {lead.lastActivityAt ? lead.lastActivityAt.toISOString().slice(0, 10) : "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {leads.length === 0 ? <p className="text-slate-600">No leads.</p> : null}
      <nav aria-label="Pages" className="flex gap-4 text-sm">
        {page > 1 ? <Link href={`${base}/leads?page=${page - 1}`}>← Previous</Link> : null}
        <span className="text-slate-600">Page {page}</span>
        {rows.length > PAGE_SIZE ? <Link href={`${base}/leads?page=${page + 1}`}>Next →</Link> : null}
      </nav>
    </SupportFrame>
  );
}
