"use client";
import { useActionState, useId } from "react";
import { requestSupportAccessAction } from "../actions";

/** Ask a dealership for support access: which one, and why (the owner reads the reason). */
export function RequestAccessForm({ dealerships }: { dealerships: { id: string; name: string }[] }) {
  const [state, action, pending] = useActionState(requestSupportAccessAction, null);
  const dealershipId = useId();
  const reasonId = useId();
  const errors = state && !state.ok ? state.error.fieldErrors : undefined;
  return (
    <form action={action} className="max-w-xl space-y-3" data-test="support-request-form">
      <div className="flex flex-col gap-1">
        <label htmlFor={dealershipId} className="text-sm font-medium">
          Dealership
        </label>
        <select
          id={dealershipId}
          name="dealershipId"
          defaultValue=""
          className="rounded-md border border-slate-300 px-2 py-1"
          data-test="support-request-dealership"
        >
          <option value="" disabled>
            Choose a dealership
          </option>
          {dealerships.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
        {errors?.dealershipId ? <span className="text-sm text-red-700">{errors.dealershipId[0]}</span> : null}
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={reasonId} className="text-sm font-medium">
          Why you need access (the owner reads this; no customer details, please)
        </label>
        <textarea
          id={reasonId}
          name="reason"
          rows={3}
          maxLength={500}
          className="rounded-md border border-slate-300 px-2 py-1"
          data-test="support-request-reason"
        />
        {errors?.reason ? <span className="text-sm text-red-700">{errors.reason[0]}</span> : null}
      </div>
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-slate-800 px-3 py-1 text-sm text-white disabled:opacity-60"
        data-test="support-request-submit"
      >
        Ask for access
      </button>
      <p role="status" className="text-sm" data-test="support-request-result">
        {state?.ok ? "Asked. The dealership's owners will see your request." : null}
        {state && !state.ok && !state.error.fieldErrors ? (
          <span className="text-red-700">{state.error.message}</span>
        ) : null}
      </p>
    </form>
  );
}
