"use client";

import { useActionState } from "react";
import { requestPasswordResetAction } from "../../actions";

/** The e-mail field; the answer is the same whether or not the address has an account. */
export function ForgotPasswordForm() {
  const [state, action, pending] = useActionState(requestPasswordResetAction, null);
  if (state?.ok) {
    return (
      <p role="status" className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-800" data-test="forgot-sent">
        If an account uses that address, a link to reset its password is on its way. It works once, for 24 hours.
      </p>
    );
  }
  const error =
    state && !state.ok ? (Object.values(state.error.fieldErrors ?? {}).flat()[0] ?? state.error.message) : null;
  return (
    <form action={action} className="space-y-4" data-test="forgot-form">
      <label className="block">
        <span className="text-sm font-medium text-slate-700">E-mail</span>
        <input
          name="email"
          type="email"
          autoComplete="username"
          required
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2"
          data-test="forgot-email"
        />
      </label>
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
        data-test="forgot-submit"
      >
        {pending ? "Sending…" : "Send the link"}
      </button>
    </form>
  );
}
