"use client";

import { useActionState } from "react";
import { denySupportAccessAction, revokeSupportAccessAction } from "../actions";

const ACTIONS = {
  deny: { action: denySupportAccessAction, label: "Deny" },
  revoke: { action: revokeSupportAccessAction, label: "End access now" },
} as const;

/** Deny a pending request or end a live grant (no step-up: both only take access away). */
export function SupportDecisionButton({ requestId, kind }: { requestId: string; kind: keyof typeof ACTIONS }) {
  const { action: serverAction, label } = ACTIONS[kind];
  const [state, action, pending] = useActionState(serverAction, null);
  return (
    <form action={action} className="inline-flex items-center gap-2 text-sm">
      <input type="hidden" name="requestId" value={requestId} />
      <button
        type="submit"
        disabled={pending}
        className="rounded-md border border-slate-300 px-2 py-0.5 hover:bg-slate-100"
        data-test={`support-${kind}`}
      >
        {label}
      </button>
      {state && !state.ok ? (
        <span role="alert" className="text-red-700">
          {state.error.message}
        </span>
      ) : null}
    </form>
  );
}
