"use client";

import { useId } from "react";
import { DEFAULT_SUPPORT_MINUTES, SUPPORT_DURATIONS } from "@/lib/support/support-access.schema";
import { SensitiveForm } from "@/app/_components/sensitive-form";
import { grantSupportAccessAction } from "../actions";

/** Grant a request for one of the fixed durations (asks for the password or code first). */
export function GrantAccessForm({ requestId, mfa }: { requestId: string; mfa: boolean }) {
  const selectId = useId();
  return (
    <SensitiveForm
      action={grantSupportAccessAction}
      mfa={mfa}
      className="flex flex-wrap items-center gap-2 text-sm"
      test="support-grant-form"
    >
      {(pending) => (
        <>
          <input type="hidden" name="requestId" value={requestId} />
          <label htmlFor={selectId}>For</label>
          <select
            id={selectId}
            name="minutes"
            defaultValue={DEFAULT_SUPPORT_MINUTES}
            className="rounded-md border border-slate-300 px-2 py-0.5"
            data-test="support-grant-minutes"
          >
            {SUPPORT_DURATIONS.map((d) => (
              <option key={d.minutes} value={d.minutes}>
                {d.label}
              </option>
            ))}
          </select>
          <button
            type="submit"
            disabled={pending}
            className="rounded-md bg-slate-800 px-2 py-0.5 text-white disabled:opacity-60"
            data-test="support-grant"
          >
            Grant access
          </button>
        </>
      )}
    </SensitiveForm>
  );
}
