import type { Metadata } from "next";
import Link from "next/link";
import { listTeamMembers } from "@/lib/dealerships/team";
import { UNREADABLE_LABEL } from "@/lib/leads/decrypt-failures";
import { LEADS_PAGE_SIZE, leadFiltersSchema, leadFiltersToQuery } from "@/lib/leads/lead-filters.schema";
import type { LeadSummary } from "@/lib/leads/lead-queries";
import { findLeadsPage } from "@/lib/leads/lead-search";
import { listLeadSources } from "@/lib/leads/lead-sources";
import { CONSENT_STATUS_LABELS, LEAD_STATUS_LABELS } from "@/lib/leads/lead-status";
import { formatPhoneForDisplay } from "@/lib/leads/phone";
import { requireUserPage } from "@/lib/server/require-user-page";
import { LeadFiltersForm } from "./_components/lead-filters-form";
import { LeadSearch } from "./_components/lead-search";

export const metadata: Metadata = { title: "Leads" };

const formatDate = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "—");

/** A field as the table shows it: "unreadable" when it is stored but would not decrypt. */
const shown = (lead: LeadSummary, field: keyof LeadSummary["pii"]) =>
  lead.unreadable.includes(field) ? UNREADABLE_LABEL : lead.pii[field];

export default async function LeadsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await requireUserPage();
  const filters = leadFiltersSchema.parse(await searchParams);
  const { region } = ctx.active;
  const { page, sources, team } = await ctx.run(async (scope) => ({
    page: await findLeadsPage(scope, filters, LEADS_PAGE_SIZE),
    sources: await listLeadSources(scope),
    team: await listTeamMembers(scope),
  }));
  const nameOf = new Map(team.map((m) => [m.userId, m.displayName]));
  const pages = Math.max(1, Math.ceil(page.total / LEADS_PAGE_SIZE));
  return (
    <section className="space-y-4">
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">Leads</h1>
        <p className="text-sm text-slate-500">
          <span data-test="leads-total">
            {page.total} lead{page.total === 1 ? "" : "s"}
          </span>{" "}
          ·{" "}
          <Link href="/leads/do-not-contact" className="text-brand-700 hover:underline">
            Do-not-contact list
          </Link>
        </p>
      </div>
      <LeadSearch />
      <LeadFiltersForm filters={filters} sources={sources} team={team} canSeeAll={ctx.can("leads.view_all")} />
      <table className="w-full overflow-hidden rounded-lg bg-white text-left text-sm shadow-sm" data-test="leads-table">
        <thead className="bg-slate-100 text-slate-600">
          <tr>
            <th className="px-3 py-2">Name</th>
            <th className="px-3 py-2">Phone</th>
            <th className="px-3 py-2">Vehicle</th>
            <th className="px-3 py-2">Status</th>
            <th className="px-3 py-2">Consent</th>
            <th className="px-3 py-2">Source</th>
            <th className="px-3 py-2">Assigned</th>
            <th className="px-3 py-2">Last activity</th>
          </tr>
        </thead>
        <tbody>
          {page.leads.map((lead) => (
            <tr key={lead.id} className="border-t border-slate-100" data-test="lead-row">
              <td className="px-3 py-2">
                <Link href={`/leads/${lead.id}`} className="text-brand-700 hover:underline">
                  {[shown(lead, "firstName"), shown(lead, "lastName")].filter(Boolean).join(" ") || "(no name)"}
                </Link>
              </td>
              <td className="px-3 py-2 font-mono whitespace-nowrap">
                {lead.unreadable.includes("phone") ? UNREADABLE_LABEL : formatPhoneForDisplay(lead.pii.phone, region)}
              </td>
              <td className="px-3 py-2">
                {[shown(lead, "vehicleYear"), shown(lead, "vehicleMake"), shown(lead, "vehicleModel")]
                  .filter(Boolean)
                  .join(" ") || "—"}
              </td>
              <td className="px-3 py-2">{LEAD_STATUS_LABELS[lead.status]}</td>
              <td className="px-3 py-2">{CONSENT_STATUS_LABELS[lead.consentStatus]}</td>
              <td className="px-3 py-2">{lead.source ?? "—"}</td>
              <td className="px-3 py-2">{lead.assignedTo ? (nameOf.get(lead.assignedTo) ?? "—") : "—"}</td>
              <td className="px-3 py-2 whitespace-nowrap">{formatDate(lead.lastActivityAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.leads.length === 0 ? <p className="text-slate-500">No leads match.</p> : null}
      <nav className="flex items-center gap-4 text-sm" data-test="leads-pagination">
        {filters.page > 1 ? (
          <Link href={`/leads${leadFiltersToQuery(filters, { page: filters.page - 1 })}`}>← Previous</Link>
        ) : null}
        <span className="text-slate-500">
          Page {Math.min(filters.page, pages)} of {pages}
        </span>
        {filters.page < pages ? (
          <Link href={`/leads${leadFiltersToQuery(filters, { page: filters.page + 1 })}`} data-test="leads-next">
            Next →
          </Link>
        ) : null}
      </nav>
    </section>
  );
}
