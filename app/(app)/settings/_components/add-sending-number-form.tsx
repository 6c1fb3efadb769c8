"use client";

import { startTransition, useActionState, useEffect, useRef } from "react";
import { addSendingNumberAction } from "../actions";

const inputClass = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1";

/** Register a Twilio number (any format; stored as E.164) or a Messaging Service SID. */
export function AddSendingNumberForm() {
  // The payload type is named because the form dispatches by hand (see onSubmit).
  const [state, action, pending] = useActionState<Awaited<ReturnType<typeof addSendingNumberAction>> | null, FormData>(
    addSendingNumberAction,
    null,
  );
  const form = useRef<HTMLFormElement>(null);
  // Cleared only once the number is added; a refused one stays in the field to be corrected.
  useEffect(() => {
    if (state?.ok) form.current?.reset();
  }, [state]);
  const fieldError = (name: string) => (state && !state.ok ? state.error.fieldErrors?.[name]?.[0] : undefined);
  return (
    <form
      ref={form}
      // POST, so a submit before hydration never puts what was typed in the URL.
      method="post"
      // Dispatched by hand rather than through `action=`, which would reset the fields on a refusal too.
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => action(data));
      }}
      className="flex flex-wrap items-end gap-3"
      data-test="sending-number-form"
    >
      <label className="text-sm">
        <span className="text-slate-600">Number or Messaging Service SID</span>
        <input
          name="address"
          placeholder="+1 312 555 0000 or MG…"
          className={inputClass}
          data-test="sending-number-address"
        />
        {fieldError("address") ? <span className="text-xs text-red-700">{fieldError("address")}</span> : null}
      </label>
      <label className="text-sm">
        <span className="text-slate-600">Label (optional)</span>
        <input name="label" placeholder="Sales line" className={inputClass} data-test="sending-number-label" />
        {fieldError("label") ? <span className="text-xs text-red-700">{fieldError("label")}</span> : null}
      </label>
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-brand-600 px-4 py-1.5 font-semibold text-white"
        data-test="sending-number-add"
      >
        {pending ? "Adding…" : "Add"}
      </button>
      {state?.ok ? (
        <span className="text-sm text-green-700" data-test="sending-number-added">
          Added.
        </span>
      ) : null}
      {state && !state.ok ? (
        <span className="text-sm text-red-700" role="alert" data-test="sending-number-error">
          {state.error.message}
        </span>
      ) : null}
    </form>
  );
}
