"use client";

import { useActionState } from "react";
import { verifySignInCodeAction } from "../../actions";

/** The code field of the second sign-in step. */
export function MfaCodeForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState(verifySignInCodeAction, null);
  const error =
    state && !state.ok ? (Object.values(state.error.fieldErrors ?? {}).flat()[0] ?? state.error.message) : null;
  return (
    <form action={action} className="space-y-4" data-test="mfa-form">
      <input type="hidden" name="next" value={next} />
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Authentication code</span>
        <input
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          required
          autoFocus
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono tracking-widest"
          data-test="mfa-login-code"
        />
      </label>
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" data-test="mfa-login-error">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
        data-test="mfa-login-submit"
      >
        {pending ? "Checking…" : "Continue"}
      </button>
    </form>
  );
}
