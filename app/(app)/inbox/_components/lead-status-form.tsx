"use client";

import { useActionState } from "react";
import { LEAD_STATUSES } from "@/lib/leads/lead-filters.schema";
import { setLeadStatusAction } from "../actions";

/** Move the lead through the pipeline from the thread. */
export function LeadStatusForm({ leadId, status }: { leadId: string; status: string }) {
  const [state, action, pending] = useActionState(setLeadStatusAction, null);
  return (
    <form action={action} className="flex items-center gap-2" data-test="inbox-status-form">
      <input type="hidden" name="leadId" value={leadId} />
      <select name="status" defaultValue={status} key={status} aria-label="Lead status" className="rounded-md border border-slate-300 px-2 py-1 text-sm" data-test="inbox-status">
        {LEAD_STATUSES.map((s) => (
          <option key={s} value={s}>
            {s.replace("_", " ")}
          </option>
        ))}
      </select>
      <button type="submit" disabled={pending} className="rounded-md bg-slate-800 px-3 py-1 text-sm text-white" data-test="inbox-status-submit">
        Set
      </button>
      {state?.ok ? <span className="text-sm text-green-700" data-test="inbox-status-saved">{state.data.changed ? "Saved." : "No change."}</span> : null}
      {state && !state.ok ? <span className="text-sm text-red-700" role="alert">{state.error.message}</span> : null}
    </form>
  );
}
