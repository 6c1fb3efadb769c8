import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { listThreadMessages } from "@/lib/inbox/conversation-queries";
import { listConsentEvents } from "@/lib/leads/consent-history";
import { UNREADABLE_LABEL } from "@/lib/leads/decrypt-failures";
import type { LeadPiiField } from "@/lib/leads/lead-fields";
import { getLead } from "@/lib/leads/lead-queries";
import { CONSENT_STATUS_LABELS, LEAD_STATUS_LABELS } from "@/lib/leads/lead-status";
import { formatPhoneForDisplay } from "@/lib/leads/phone";
import { formatUtcTimestamp } from "@/lib/format/timestamp";
import { requireSupportPage } from "@/lib/server/require-support-page";
import { supportLeadParamsSchema } from "@/lib/support/support-params.schema";
import { SupportFrame } from "../../_components/support-frame";

export const metadata: Metadata = { title: "Support: lead" };

const FIELDS: [LeadPiiField, string][] = [
  ["firstName", "First name"],
  ["lastName", "Last name"],
  ["phone", "Phone"],
  ["email", "E-mail"],
  ["vehicleYear", "Vehicle year"],
  ["vehicleMake", "Make"],
  ["vehicleModel", "Model"],
  ["vehicleTrim", "Trim"],
  ["vehicleVin", "VIN"],
  ["notes", "Notes"],
  ["crmId", "CRM ID"],
];

/** One lead with its consent history and conversation, under a support grant (audited, read-only). */
export default async function SupportLeadPage({ params }: { params: Promise<unknown> }) {
  const ctx = await requireSupportPage({
    page: "leads/[leadId]",
    params: { schema: supportLeadParamsSchema, value: params },
  });
  const { leadId } = ctx.params;
  const data = await ctx.run(async (scope) => {
    const lead = await getLead(scope, leadId);
    if (!lead) return null;
    return {
      lead,
      consent: await listConsentEvents(scope, leadId),
      messages: await listThreadMessages(scope, leadId),
    };
  });
  if (!data) notFound();
  const { lead, consent, messages } = data;
  const value = (field: LeadPiiField) => {
    if (lead.unreadable.includes(field)) return UNREADABLE_LABEL;
    const v = lead.pii[field];
    return field === "phone" ? formatPhoneForDisplay(v) : v || "—";
  };
  return (
    <SupportFrame
      dealershipId={ctx.params.dealershipId}
      dealershipName={ctx.grant.dealershipName}
      expiresAt={ctx.grant.expiresAt}
      title="Lead"
    >
      <dl className="grid max-w-xl grid-cols-2 gap-2 text-sm" data-test="support-lead">
        {FIELDS.map(([field, label]) => (
          <div key={field} className="contents">
            <dt className="text-slate-600">{label}</dt>
            <dd data-test={`support-lead-${field}`}>{value(field)}</dd>
          </div>
        ))}
        {(
          [
            ["Status", LEAD_STATUS_LABELS[lead.status]],
            ["Consent", CONSENT_STATUS_LABELS[lead.consentStatus]],
            ["Source", lead.source ?? "—"],
          ] as const
        ).map(([label, text]) => (
          <div key={label} className="contents">
            <dt className="text-slate-600">{label}</dt>
            <dd>{text}</dd>
          </div>
        ))}
      </dl>

      <h2 className="font-semibold">Consent history</h2>
      {consent.length === 0 ? (
        <p className="text-sm text-slate-600">No consent changes recorded.</p>
      ) : (
        <ul className="text-sm" data-test="support-consent">
          {consent.map((c, i) => (
            <li key={i}>
              {formatUtcTimestamp(c.createdAt)} UTC: {CONSENT_STATUS_LABELS[c.status]}
              {c.source ? ` (${c.source})` : ""}
            </li>
          ))}
        </ul>
      )}

      <h2 className="font-semibold">Conversation</h2>
      {messages.length === 0 ? (
        <p className="text-sm text-slate-600">No messages.</p>
      ) : (
        <ol className="space-y-2 text-sm" data-test="support-messages">
          {messages.map((m) => (
            <li
              key={m.id}
              className={`max-w-xl rounded-md p-2 ${m.direction === "outbound" ? "ml-auto bg-slate-100" : "bg-white ring-1 ring-slate-200"}`}
              data-test="support-message"
            >
              <p className="text-xs text-slate-600">
                {m.direction === "outbound" ? "Sent" : "Received"} {formatUtcTimestamp(m.createdAt)} UTC · {m.status}
              </p>
              <p className="whitespace-pre-wrap">{m.body}</p>
            </li>
          ))}
        </ol>
      )}
    </SupportFrame>
  );
}
