"use client";

import { useActionState } from "react";
import { resetPasswordAction } from "../actions";

const inputClass = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2";

/** The new password, typed twice. */
export function ResetPasswordForm() {
  const [state, action, pending] = useActionState(resetPasswordAction, null);
  const fieldError = (name: string) => (state && !state.ok ? state.error.fieldErrors?.[name]?.[0] : undefined);
  return (
    <form action={action} className="space-y-4" data-test="reset-form">
      <label className="block text-sm">
        <span className="font-medium text-slate-700">New password</span>
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          required
          className={inputClass}
          data-test="reset-password"
        />
        {fieldError("password") ? <span className="text-xs text-red-700">{fieldError("password")}</span> : null}
      </label>
      <label className="block text-sm">
        <span className="font-medium text-slate-700">New password again</span>
        <input
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          className={inputClass}
          data-test="reset-password-confirm"
        />
        {fieldError("confirm") ? <span className="text-xs text-red-700">{fieldError("confirm")}</span> : null}
      </label>
      {state && !state.ok && !state.error.fieldErrors ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {state.error.message}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
        data-test="reset-submit"
      >
        {pending ? "Saving…" : "Save the new password"}
      </button>
    </form>
  );
}
