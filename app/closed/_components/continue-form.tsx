"use client";

import { useActionState } from "react";
import { continueToDealershipAction } from "../actions";

/** Go on working in another dealership the user belongs to (a plain form: works without JS). */
export function ContinueToDealershipForm({ dealershipId, name }: { dealershipId: string; name: string }) {
  const [state, action, pending] = useActionState(continueToDealershipAction, null);
  return (
    <form action={action} className="flex items-center gap-3" data-test="continue-form">
      <input type="hidden" name="dealershipId" value={dealershipId} />
      <button
        type="submit"
        disabled={pending}
        className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100"
        data-test="continue-submit"
      >
        Continue to {name}
      </button>
      {state && !state.ok ? (
        <span role="alert" className="text-sm text-red-700">
          {state.error.message}
        </span>
      ) : null}
    </form>
  );
}
