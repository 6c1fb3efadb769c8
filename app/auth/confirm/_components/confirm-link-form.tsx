"use client";

import { useActionState } from "react";
import { confirmEmailLinkAction } from "../actions";

/** One button that redeems the e-mail link. */
export function ConfirmLinkForm({ tokenHash, type }: { tokenHash: string; type: "invite" | "recovery" }) {
  const [state, action, pending] = useActionState(confirmEmailLinkAction, null);
  return (
    <form action={action} className="space-y-4" data-test="confirm-link-form">
      <input type="hidden" name="tokenHash" value={tokenHash} />
      <input type="hidden" name="type" value={type} />
      {state && !state.ok ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {state.error.message}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
        data-test="confirm-link-continue"
      >
        {pending ? "One moment…" : type === "invite" ? "Accept the invitation" : "Choose a new password"}
      </button>
    </form>
  );
}
