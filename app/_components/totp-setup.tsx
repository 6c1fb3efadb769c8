"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { SensitiveForm } from "@/app/_components/sensitive-form";
import {
  confirmTotpEnrolmentAction,
  removeTotpAction,
  startTotpEnrolmentAction,
} from "@/app/(app)/settings/security/actions";

type Enrolment = { factorId: string; secret: string; qrCode: string };

/**
 * Set up an authenticator app: (step-up) → QR code and secret → the first code; or turn it off
 * (unless `removable` is false: platform operators keep it). The QR code is an SVG rendered on our
 * server from the otpauth URI. Shared by Settings → Security and the operators' /operator/security.
 */
export function TotpSetup({ enrolled, removable = true }: { enrolled: boolean; removable?: boolean }) {
  const router = useRouter();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  if (enrolled && !removable) {
    return (
      <p className="text-sm font-medium text-green-800" data-test="mfa-on">
        On: signing in asks for a code from your authenticator app.
      </p>
    );
  }

  if (enrolled) {
    return (
      <div className="space-y-2">
        <p className="text-sm font-medium text-green-800" data-test="mfa-on">
          On: signing in asks for a code from your authenticator app.
        </p>
        <SensitiveForm
          action={removeTotpAction}
          mfa
          confirm="Turn off two-factor authentication?"
          onSuccess={() => router.refresh()}
          className="flex items-center gap-3"
          test="mfa-remove-form"
        >
          {(busy) => (
            <button
              type="submit"
              disabled={busy}
              className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100"
              data-test="mfa-remove"
            >
              Turn off
            </button>
          )}
        </SensitiveForm>
      </div>
    );
  }

  if (!enrolment) {
    return (
      <SensitiveForm
        action={startTotpEnrolmentAction}
        mfa={false}
        onSuccess={(data) => setEnrolment(data)}
        className="flex items-center gap-3"
        test="mfa-start-form"
      >
        {(busy) => (
          <button
            type="submit"
            disabled={busy}
            className="rounded-md bg-brand-600 px-4 py-1.5 text-sm font-semibold text-white"
            data-test="mfa-start"
          >
            {busy ? "Preparing…" : "Set up an authenticator app"}
          </button>
        )}
      </SensitiveForm>
    );
  }

  return (
    <form
      method="post"
      className="space-y-3"
      data-test="mfa-confirm-form"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(async () => {
          const result = await confirmTotpEnrolmentAction(data);
          if (result.ok) {
            setEnrolment(null);
            router.refresh();
          } else {
            setError(Object.values(result.error.fieldErrors ?? {}).flat()[0] ?? result.error.message);
          }
        });
      }}
    >
      <p className="text-sm text-slate-700">
        Scan this code with your authenticator app, or type the key by hand, then enter the 6-digit code it shows.
      </p>
      {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL made on our server; nothing to optimise */}
      <img
        src={enrolment.qrCode}
        alt="QR code for your authenticator app"
        width={192}
        height={192}
        data-test="mfa-qr"
      />
      <p className="text-sm">
        Key:{" "}
        <code className="font-mono break-all" data-test="mfa-secret">
          {enrolment.secret}
        </code>
      </p>
      <input type="hidden" name="factorId" value={enrolment.factorId} />
      <label className="block text-sm">
        <span className="font-medium text-slate-700">Code from the app</span>
        <input
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          required
          className="mt-1 block w-40 rounded-md border border-slate-300 px-3 py-1.5 font-mono tracking-widest"
          data-test="mfa-code"
        />
      </label>
      {error ? (
        <p role="alert" className="text-sm text-red-700" data-test="mfa-error">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-brand-600 px-4 py-1.5 text-sm font-semibold text-white"
        data-test="mfa-confirm"
      >
        {pending ? "Checking…" : "Turn on"}
      </button>
    </form>
  );
}
