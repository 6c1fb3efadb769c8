import Link from "next/link";
import type { CountryCode } from "libphonenumber-js";
import type { TeamMember } from "@/lib/dealerships/team";
import type { ThreadLead } from "@/lib/inbox/thread-lead";
import { CONSENT_STATUS_LABELS, type ConsentStatus } from "@/lib/leads/lead-status";
import { formatPhoneForDisplay } from "@/lib/leads/phone";
import { LeadAssignForm } from "../../_components/lead-assign-form";
import { LeadStatusForm } from "./lead-status-form";
import { LocalTime } from "./local-time";

const CONSENT_STYLE: Record<ConsentStatus, string> = {
  opted_in: "bg-green-100 text-green-800",
  unknown: "bg-slate-100 text-slate-700",
  opted_out: "bg-red-100 text-red-800",
};

interface Props {
  lead: ThreadLead;
  team: TeamMember[];
  canAssign: boolean;
  region: CountryCode;
}

/** Who the thread is with, their consent to texts, status and assignee. */
export function ThreadHeader({ lead, team, canAssign, region }: Props) {
  const assignee = team.find((m) => m.userId === lead.assignedTo);
  return (
    <header className="space-y-3 rounded-lg bg-white p-4 shadow-sm" data-test="thread-header">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-xl font-semibold" data-test="thread-lead-name">
          {lead.name ?? "Unknown sender"}
        </h1>
        <Link href={`/leads/${lead.id}`} className="text-sm text-brand-700 hover:underline">
          Lead details →
        </Link>
      </div>
      <p className="text-sm text-slate-600">
        <span className="font-mono">{formatPhoneForDisplay(lead.phone, region) || "no phone"}</span>
        {lead.conversation?.sendingNumber ? (
          <span className="text-slate-500">
            {" "}
            · texts our {formatPhoneForDisplay(lead.conversation.sendingNumber, region)}
          </span>
        ) : null}
      </p>
      <p className="text-sm" data-test="thread-consent" data-consent={lead.consentStatus}>
        <span className={`rounded px-2 py-0.5 font-medium ${CONSENT_STYLE[lead.consentStatus]}`}>
          SMS consent: {CONSENT_STATUS_LABELS[lead.consentStatus]}
        </span>
        {lead.consentSource ? <span className="text-slate-500"> · {lead.consentSource}</span> : null}
        {lead.consentUpdatedAt ? (
          <span className="text-slate-500">
            {" · "}
            <LocalTime iso={lead.consentUpdatedAt.toISOString()} />
          </span>
        ) : null}
        {lead.onDoNotContact ? (
          <span className="ml-2 rounded bg-red-100 px-2 py-0.5 font-medium text-red-800">on do-not-contact list</span>
        ) : null}
      </p>
      <div className="flex flex-wrap items-center gap-x-6 gap-y-2 text-sm">
        <div className="flex items-center gap-2">
          <span className="text-slate-600">Status:</span>
          <LeadStatusForm
            leadId={lead.id}
            status={lead.status}
            version={lead.version}
            optedOut={lead.consentStatus === "opted_out"}
          />
        </div>
        <div className="flex items-center gap-2">
          <span className="text-slate-600">Assigned to:</span>
          {canAssign ? (
            <LeadAssignForm leadId={lead.id} assignedTo={lead.assignedTo} team={team} />
          ) : (
            <span data-test="thread-assignee">{assignee ? assignee.displayName : "—"}</span>
          )}
        </div>
      </div>
    </header>
  );
}
