"use client";

import { useActionState, useState } from "react";
import { signInAction } from "../actions";

export function LoginForm({ next }: { next?: string }) {
  const [state, formAction, pending] = useActionState(signInAction, null);
  // Kept here so a refused attempt does not clear the e-mail (React resets the form after an action).
  const [email, setEmail] = useState("");
  const error =
    state && !state.ok ? (Object.values(state.error.fieldErrors ?? {})[0]?.[0] ?? state.error.message) : null;
  return (
    <form action={formAction} className="space-y-4" data-test="login-form" noValidate>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <label className="block">
        <span className="text-sm font-medium text-slate-700">E-mail</span>
        <input
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          data-test="login-email"
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm focus:border-brand-500 focus:outline-none"
        />
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Password</span>
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          data-test="login-password"
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm focus:border-brand-500 focus:outline-none"
        />
      </label>
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" data-test="login-error">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        data-test="login-submit"
        className="w-full rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
