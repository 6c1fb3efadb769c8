"use client";

import { useEffect, useId, useRef, useState } from "react";
import { reauthenticateAction } from "@/app/(app)/actions";

/**
 * Step-up re-authentication: asks for the password (or, with a second factor, a code from the
 * authenticator app) before a sensitive operation, then calls onConfirmed. Opened by
 * SensitiveForm when an action answers `reauthentication_required`; see lib/server/step-up.ts.
 */
export function ReauthDialog({
  open,
  mfa,
  onConfirmed,
  onCancel,
}: {
  open: boolean;
  mfa: boolean;
  onConfirmed: () => void;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      setError(null);
      d.showModal();
    } else if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      onCancel={onCancel}
      className="m-auto w-full max-w-sm rounded-lg p-6 shadow-xl backdrop:bg-slate-900/40"
      data-test="reauth-dialog"
    >
      <form
        method="post"
        onSubmit={async (e) => {
          e.preventDefault();
          setPending(true);
          const data = new FormData(e.currentTarget);
          const result = await reauthenticateAction(data);
          setPending(false);
          if (result.ok) {
            e.currentTarget?.reset();
            onConfirmed();
          } else {
            setError(Object.values(result.error.fieldErrors ?? {}).flat()[0] ?? result.error.message);
          }
        }}
        className="space-y-4"
      >
        <h2 id={titleId} className="text-lg font-semibold">
          Confirm it is you
        </h2>
        <p className="text-sm text-slate-600">
          {mfa
            ? "Enter the 6-digit code from your authenticator app to continue."
            : "Enter your password to continue. You will not be asked again for 5 minutes."}
        </p>
        <label className="block text-sm">
          <span className="font-medium text-slate-700">{mfa ? "Authentication code" : "Password"}</span>
          {mfa ? (
            <input
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              required
              className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono tracking-widest"
              data-test="reauth-code"
            />
          ) : (
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              required
              className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2"
              data-test="reauth-password"
            />
          )}
        </label>
        {error ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" data-test="reauth-error">
            {error}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <button
            type="button"
            onClick={onCancel}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100"
          >
            Cancel
          </button>
          <button
            type="submit"
            disabled={pending}
            className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white"
            data-test="reauth-submit"
          >
            {pending ? "Checking…" : "Confirm"}
          </button>
        </div>
      </form>
    </dialog>
  );
}
