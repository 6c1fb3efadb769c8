"use client";

import { useActionState } from "react";
import { revokeSessionAction } from "../actions";

/** Sign out one other device. */
export function RevokeSessionButton({ sessionId }: { sessionId: string }) {
  const [state, action, pending] = useActionState(revokeSessionAction, null);
  return (
    <form action={action} className="inline-flex items-center gap-2">
      <input type="hidden" name="sessionId" value={sessionId} />
      <button
        type="submit"
        disabled={pending}
        className="rounded-md border border-slate-300 px-2 py-0.5 hover:bg-slate-100"
        data-test="session-revoke"
      >
        {pending ? "Signing out…" : "Sign out"}
      </button>
      {state && !state.ok ? (
        <span role="alert" className="text-red-700">
          {state.error.message}
        </span>
      ) : null}
    </form>
  );
}
