"use client";

import { useActionState } from "react";
import type { TeamMember } from "@/lib/dealerships/team";
import { assignLeadAction } from "../leads/actions";

/** Hand the lead to a teammate, from the lead page or the inbox thread (offered only with leads.assign; the action and the database check it too). */
export function LeadAssignForm({
  leadId,
  assignedTo,
  team,
}: {
  leadId: string;
  assignedTo: string | null;
  team: TeamMember[];
}) {
  const [state, action, pending] = useActionState(assignLeadAction, null);
  return (
    <form action={action} className="flex items-center gap-2" data-test="lead-assign-form">
      <input type="hidden" name="leadId" value={leadId} />
      <select
        name="assigneeId"
        defaultValue={assignedTo ?? ""}
        key={assignedTo ?? ""}
        aria-label="Assign to"
        className="rounded-md border border-slate-300 px-2 py-1 text-sm"
        data-test="lead-assignee"
      >
        <option value="">Unassigned</option>
        {team.map((m) => (
          <option key={m.userId} value={m.userId}>
            {m.displayName} ({m.role})
          </option>
        ))}
      </select>
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-slate-800 px-3 py-1 text-sm text-white"
        data-test="lead-assign-submit"
      >
        Assign
      </button>
      {state?.ok ? (
        <span className="text-sm text-green-700" data-test="lead-assigned">
          Assigned.
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
