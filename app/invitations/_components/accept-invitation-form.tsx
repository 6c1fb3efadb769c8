"use client";

import { useActionState } from "react";
import { acceptInvitationAction } from "../actions";

const inputClass = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2";

/** Accept one invitation; a new account chooses its password here. */
export function AcceptInvitationForm({
  invitationId,
  needsPassword,
}: {
  invitationId: string;
  needsPassword: boolean;
}) {
  const [state, action, pending] = useActionState(acceptInvitationAction, null);
  const fieldError = (name: string) => (state && !state.ok ? state.error.fieldErrors?.[name]?.[0] : undefined);
  return (
    <form action={action} className="space-y-3" data-test="accept-form">
      <input type="hidden" name="invitationId" value={invitationId} />
      {needsPassword ? (
        <>
          <label className="block text-sm">
            <span className="font-medium text-slate-700">Choose a password</span>
            <input
              name="password"
              type="password"
              autoComplete="new-password"
              required
              className={inputClass}
              data-test="accept-password"
            />
            {fieldError("password") ? <span className="text-xs text-red-700">{fieldError("password")}</span> : null}
          </label>
          <label className="block text-sm">
            <span className="font-medium text-slate-700">The same password again</span>
            <input
              name="confirm"
              type="password"
              autoComplete="new-password"
              required
              className={inputClass}
              data-test="accept-password-confirm"
            />
            {fieldError("confirm") ? <span className="text-xs text-red-700">{fieldError("confirm")}</span> : null}
          </label>
        </>
      ) : null}
      {state && !state.ok && !state.error.fieldErrors ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" data-test="accept-error">
          {state.error.message}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
        data-test="accept-submit"
      >
        {pending ? "Joining…" : "Join"}
      </button>
    </form>
  );
}
