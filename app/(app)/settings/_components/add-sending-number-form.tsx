"use client";

import { SensitiveForm } from "@/app/_components/sensitive-form";
import { addSendingNumberAction } from "../actions";

const inputClass = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1";

/**
 * Register a Twilio number (any format; stored as E.164) or a Messaging Service SID. A sending
 * number change is sensitive: the form asks for the password (or a code) first when needed.
 */
export function AddSendingNumberForm({ mfa }: { mfa: boolean }) {
  return (
    <SensitiveForm
      action={addSendingNumberAction}
      mfa={mfa}
      resetOnSuccess
      className="flex flex-wrap items-end gap-3"
      test="sending-number-form"
      errorTest="sending-number-error"
    >
      {(pending, state) => {
        const fieldError = (name: string) => (state && !state.ok ? state.error.fieldErrors?.[name]?.[0] : undefined);
        return (
          <>
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
          </>
        );
      }}
    </SensitiveForm>
  );
}
