"use client";

import { useActionState } from "react";
import { revokeInvitationAction } from "../team-actions";

/** Withdraw an open invitation; its link stops working. */
export function RevokeInvitationButton({ invitationId }: { invitationId: string }) {
  const [state, action, pending] = useActionState(revokeInvitationAction, null);
  return (
    <form action={action} className="inline-flex items-center gap-2">
      <input type="hidden" name="invitationId" value={invitationId} />
      <button
        type="submit"
        disabled={pending}
        className="rounded-md border border-slate-300 px-2 py-0.5 hover:bg-slate-100"
        data-test="invitation-revoke"
      >
        Withdraw
      </button>
      {state && !state.ok ? (
        <span role="alert" className="text-red-700">
          {state.error.message}
        </span>
      ) : null}
    </form>
  );
}
