"use client";

import { SensitiveForm } from "@/app/_components/sensitive-form";
import { setRequireMfaAction } from "../actions";

/** Owners: require a second factor for every member (or stop requiring it). */
export function RequireMfaForm({ required, mfa }: { required: boolean; mfa: boolean }) {
  return (
    <SensitiveForm action={setRequireMfaAction} mfa={mfa} className="flex items-center gap-3" test="require-mfa-form">
      {(pending) => (
        <>
          <input type="hidden" name="required" value={required ? "false" : "true"} />
          <span className="text-sm" data-test="require-mfa-state">
            {required ? "Required for everyone." : "Optional."}
          </span>
          <button
            type="submit"
            disabled={pending}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100"
            data-test="require-mfa-toggle"
          >
            {required ? "Make it optional" : "Require it"}
          </button>
        </>
      )}
    </SensitiveForm>
  );
}
