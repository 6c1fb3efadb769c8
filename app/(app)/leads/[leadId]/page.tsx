import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { listTeamMembers } from "@/lib/dealerships/team";
import { formatUtcTimestamp } from "@/lib/format/timestamp";
import { listConsentEvents } from "@/lib/leads/consent-history";
import { leadParamsSchema } from "@/lib/leads/lead-params.schema";
import { getLead } from "@/lib/leads/lead-queries";
import { CONSENT_STATUS_LABELS } from "@/lib/leads/lead-status";
import { requireUserPage } from "@/lib/server/require-user-page";
import { LeadAssignForm } from "../../_components/lead-assign-form";
import { LeadEditForm } from "../_components/lead-edit-form";
import { LeadEraseForm } from "../_components/lead-erase-form";
import { LeadReconsentForm } from "../_components/lead-reconsent-form";

export const metadata: Metadata = { title: "Lead" };

export default async function LeadPage({ params }: { params: Promise<{ leadId: string }> }) {
  const ctx = await requireUserPage({ params: { schema: leadParamsSchema, value: params } });
  // RLS returns nothing for another dealership's lead (or another rep's): same 404 as a missing one.
  const data = await ctx.run(async (scope) => {
    const lead = await getLead(scope, ctx.params.leadId);
    if (!lead) return null;
    return { lead, team: await listTeamMembers(scope), consent: await listConsentEvents(scope, lead.id) };
  });
  if (!data) notFound();
  const { lead, team, consent } = data;
  const nameOf = new Map(team.map((m) => [m.userId, m.displayName]));
  return (
    <section className="space-y-6" data-test="lead-detail">
      <Link href="/leads" className="text-sm text-slate-500 hover:underline">
        ← All leads
      </Link>
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold" data-test="lead-name">
          {[lead.pii.firstName, lead.pii.lastName].filter(Boolean).join(" ") ||
            (lead.unreadable.length ? "Lead (unreadable name)" : "Lead")}
        </h1>
        <p className="text-sm text-slate-500">
          {/* The CRM's own record id, as imported: read-only here (the CRM owns it). */}
          {lead.pii.crmId ? (
            <>
              CRM ID: <span data-test="lead-crm-id">{lead.pii.crmId}</span> ·{" "}
            </>
          ) : null}
          Source: {lead.source ?? "—"}
        </p>
      </div>
      <div className="flex items-center gap-3 text-sm">
        <span className="text-slate-600">Assigned to:</span>
        {ctx.can("leads.assign") ? (
          <LeadAssignForm leadId={lead.id} assignedTo={lead.assignedTo} team={team} />
        ) : (
          <span>{lead.assignedTo ? nameOf.get(lead.assignedTo) : "—"}</span>
        )}
      </div>
      <LeadEditForm
        leadId={lead.id}
        pii={lead.pii}
        unreadable={lead.unreadable}
        status={lead.status}
        consentStatus={lead.consentStatus}
        version={lead.version}
      />
      {lead.consentStatus === "opted_out" && ctx.can("leads.reconsent") ? <LeadReconsentForm leadId={lead.id} /> : null}
      <div className="max-w-3xl rounded-lg bg-white p-6 shadow-sm">
        <h2 className="font-semibold">Consent history</h2>
        <ul className="mt-2 space-y-1 text-sm" data-test="consent-history">
          {consent.length === 0 ? <li className="text-slate-500">No consent changes recorded.</li> : null}
          {consent.map((e, i) => (
            <li key={i}>
              <span className="font-mono text-xs text-slate-500">{formatUtcTimestamp(e.createdAt)}</span>{" "}
              {CONSENT_STATUS_LABELS[e.status]} — {e.source ?? "unknown source"}
              {e.actorUserId ? ` (by ${nameOf.get(e.actorUserId) ?? "former member"})` : ""}
            </li>
          ))}
        </ul>
      </div>
      <Link
        href={`/inbox/${lead.id}`}
        className="inline-block rounded-md bg-slate-800 px-4 py-2 text-sm text-white"
        data-test="lead-open-conversation"
      >
        Open the conversation
      </Link>
      {ctx.can("leads.delete") ? <LeadEraseForm leadId={lead.id} mfa={ctx.security.mfaEnrolled} /> : null}
    </section>
  );
}
