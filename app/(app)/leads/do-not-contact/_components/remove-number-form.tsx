"use client";

import { useActionState } from "react";
import { removeDoNotContactAction } from "../actions";

/** Take one number off the list; a refusal (role, already removed) is shown beside the button. */
export function RemoveNumberForm({ id }: { id: string }) {
  const [state, action, pending] = useActionState(removeDoNotContactAction, null);
  return (
    <form action={action} className="inline-flex items-center gap-2" data-test="dnc-remove-form">
      <input type="hidden" name="id" value={id} />
      {state && !state.ok ? (
        <span className="text-xs text-red-700" role="alert" data-test="dnc-remove-error">
          {state.error.message}
        </span>
      ) : null}
      <button type="submit" disabled={pending} className="text-red-700 hover:underline" data-test="dnc-remove">
        Remove
      </button>
    </form>
  );
}
