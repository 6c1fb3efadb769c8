"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/server/user-action";
import { addSendingNumberAction } from "../actions";

const inputClass = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1";

/** Register a Twilio number (any format; stored as E.164) or a Messaging Service SID. */
export function AddSendingNumberForm() {
  const [state, setState] = useState<ActionResult<{ id: string }> | null>(null);
  const [pending, startTransition] = useTransition();
  const fieldError = (name: string) => (state && !state.ok ? state.error.fieldErrors?.[name]?.[0] : undefined);
  return (
    <form
      // POST, so a submit before hydration never puts what was typed in the URL.
      method="post"
      // Through a transition so a refused number stays in the field to be corrected.
      onSubmit={(e) => {
        e.preventDefault();
        const formEl = e.currentTarget;
        const data = new FormData(formEl);
        startTransition(async () => {
          const result = await addSendingNumberAction(null, data);
          setState(result);
          if (result.ok) formEl.reset();
        });
      }}
      className="flex flex-wrap items-end gap-3"
      data-test="sending-number-form"
    >
      <label className="text-sm">
        <span className="text-slate-600">Number or Messaging Service SID</span>
        <input name="address" placeholder="+1 312 555 0000 or MG…" className={inputClass} data-test="sending-number-address" />
        {fieldError("address") ? <span className="text-xs text-red-700">{fieldError("address")}</span> : null}
      </label>
      <label className="text-sm">
        <span className="text-slate-600">Label (optional)</span>
        <input name="label" placeholder="Sales line" className={inputClass} data-test="sending-number-label" />
      </label>
      <button type="submit" disabled={pending} className="rounded-md bg-brand-600 px-4 py-1.5 font-semibold text-white" data-test="sending-number-add">
        {pending ? "Adding…" : "Add"}
      </button>
      {state?.ok ? <span className="text-sm text-green-700" data-test="sending-number-added">Added.</span> : null}
      {state && !state.ok ? (
        <span className="text-sm text-red-700" role="alert" data-test="sending-number-error">
          {state.error.message}
        </span>
      ) : null}
    </form>
  );
}
