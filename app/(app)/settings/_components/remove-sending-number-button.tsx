"use client";

import { useActionState } from "react";
import { removeSendingNumberAction } from "../actions";

/** Remove one sending number; conversations keep their history and reply from the default. */
export function RemoveSendingNumberButton({ id }: { id: string }) {
  const [state, action, pending] = useActionState(removeSendingNumberAction, null);
  return (
    <form action={action} className="inline-flex items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <button
        type="submit"
        disabled={pending}
        className="rounded-md border border-slate-300 px-2 py-0.5 text-sm hover:bg-slate-100"
        data-test="sending-number-remove"
      >
        {pending ? "Removing…" : "Remove"}
      </button>
      {state && !state.ok ? (
        <span className="text-sm text-red-700" role="alert">
          {state.error.message}
        </span>
      ) : null}
    </form>
  );
}
