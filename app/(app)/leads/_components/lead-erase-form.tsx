"use client";

import { useRouter } from "next/navigation";
import { SensitiveForm } from "@/app/_components/sensitive-form";
import { eraseLeadAction } from "../actions";

/** Erase this lead for good (step-up first, then a confirmation); back to the list afterwards. */
export function LeadEraseForm({ leadId, mfa }: { leadId: string; mfa: boolean }) {
  const router = useRouter();
  return (
    <div className="max-w-3xl space-y-2 rounded-lg border border-red-200 bg-white p-6 shadow-sm">
      <h2 className="font-semibold">Erase this person</h2>
      <p className="text-sm text-slate-600">
        Deletes the lead, their conversation and their consent history permanently. If they opted out, their number
        stays on the do-not-contact list (as a one-way fingerprint only) so a later import never texts them.
      </p>
      <SensitiveForm
        action={eraseLeadAction}
        mfa={mfa}
        confirm="Erase this person and all their messages permanently? This cannot be undone."
        onSuccess={() => router.push("/leads")}
        test="lead-erase"
      >
        {(pending) => (
          <>
            <input type="hidden" name="leadId" value={leadId} />
            <button
              type="submit"
              disabled={pending}
              className="rounded-md bg-red-700 px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-60"
              data-test="lead-erase-submit"
            >
              {pending ? "Erasing…" : "Erase permanently"}
            </button>
          </>
        )}
      </SensitiveForm>
    </div>
  );
}
