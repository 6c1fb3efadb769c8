"use client";
import { useActionState } from "react";
import { endSupportAccessAction } from "../actions";

/** End a live grant before it runs out. */
export function EndAccessButton({ requestId, dealershipName }: { requestId: string; dealershipName: string }) {
  const [state, action, pending] = useActionState(endSupportAccessAction, null);
  return (
    <form action={action} className="inline-flex items-center gap-2">
      <input type="hidden" name="requestId" value={requestId} />
      <button
        type="submit"
        disabled={pending}
        aria-label={`End access to ${dealershipName}`}
        className="rounded-md border border-slate-300 px-2 py-0.5 text-sm hover:bg-slate-100"
        data-test="support-end-access"
      >
        End access
      </button>
      {state && !state.ok ? (
        <span role="alert" className="text-sm text-red-700">
          {state.error.message}
        </span>
      ) : null}
    </form>
  );
}
