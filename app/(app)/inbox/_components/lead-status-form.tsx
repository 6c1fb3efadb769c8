"use client";

import { useActionState } from "react";
import { LEAD_STATUS_LABELS, LEAD_STATUSES } from "@/lib/leads/lead-status";
import { setLeadStatusAction } from "../actions";

/**
 * Move the lead through the pipeline from the thread. The form carries the lead's version, so a
 * lead that changed since the thread was rendered (a STOP arrived) refuses the change. An
 * opted-out lead's status is not editable: only START or a recorded re-consent change it.
 */
export function LeadStatusForm({
  leadId,
  status,
  version,
  optedOut,
}: {
  leadId: string;
  status: string;
  version: number;
  optedOut: boolean;
}) {
  const [state, action, pending] = useActionState(setLeadStatusAction, null);
  if (optedOut) {
    return <span data-test="inbox-status-opted-out">{LEAD_STATUS_LABELS.opted_out}</span>;
  }
  return (
    <form action={action} className="flex items-center gap-2" data-test="inbox-status-form">
      <input type="hidden" name="leadId" value={leadId} />
      <input type="hidden" name="version" value={version} />
      <select
        name="status"
        defaultValue={status}
        key={status}
        aria-label="Lead status"
        className="rounded-md border border-slate-300 px-2 py-1 text-sm"
        data-test="inbox-status"
      >
        {LEAD_STATUSES.map((s) => (
          <option key={s} value={s}>
            {LEAD_STATUS_LABELS[s]}
          </option>
        ))}
      </select>
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-slate-800 px-3 py-1 text-sm text-white"
        data-test="inbox-status-submit"
      >
        Set
      </button>
      {state?.ok ? (
        <span className="text-sm text-green-700" data-test="inbox-status-saved">
          {state.data.changed ? "Saved." : "No change."}
        </span>
      ) : null}
      {state && !state.ok ? (
        <span className="text-sm text-red-700" role="alert">
          {state.error.message}
        </span>
      ) : null}
    </form>
  );
}
