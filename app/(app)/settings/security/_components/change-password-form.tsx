"use client";

import { SensitiveForm } from "@/app/_components/sensitive-form";
import { changePasswordAction } from "../actions";

const inputClass = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-1.5";

/** A new password, typed twice; asks for the current password (or a code) first. */
export function ChangePasswordForm({ mfa }: { mfa: boolean }) {
  return (
    <SensitiveForm
      action={changePasswordAction}
      mfa={mfa}
      className="grid max-w-md gap-3"
      test="change-password-form"
      onSuccess={() => window.alert("Password changed. Other devices are signed out.")}
    >
      {(pending) => (
        <>
          <label className="text-sm">
            <span className="font-medium text-slate-700">New password</span>
            <input
              name="password"
              type="password"
              autoComplete="new-password"
              required
              className={inputClass}
              data-test="new-password"
            />
          </label>
          <label className="text-sm">
            <span className="font-medium text-slate-700">New password again</span>
            <input
              name="confirm"
              type="password"
              autoComplete="new-password"
              required
              className={inputClass}
              data-test="new-password-confirm"
            />
          </label>
          <button
            type="submit"
            disabled={pending}
            className="justify-self-start rounded-md bg-brand-600 px-4 py-1.5 font-semibold text-white"
            data-test="change-password-submit"
          >
            {pending ? "Saving…" : "Change password"}
          </button>
        </>
      )}
    </SensitiveForm>
  );
}
