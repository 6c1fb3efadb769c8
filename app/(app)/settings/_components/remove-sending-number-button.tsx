"use client";

import { SensitiveForm } from "@/app/_components/sensitive-form";
import { removeSendingNumberAction } from "../actions";

/** Remove one sending number (step-up first); conversations keep their history and reply from the default. */
export function RemoveSendingNumberButton({ id, mfa }: { id: string; mfa: boolean }) {
  return (
    <SensitiveForm action={removeSendingNumberAction} mfa={mfa} className="inline-flex items-center gap-2">
      {(pending) => (
        <>
          <input type="hidden" name="id" value={id} />
          <button
            type="submit"
            disabled={pending}
            className="rounded-md border border-slate-300 px-2 py-0.5 text-sm hover:bg-slate-100"
            data-test="sending-number-remove"
          >
            {pending ? "Removing…" : "Remove"}
          </button>
        </>
      )}
    </SensitiveForm>
  );
}
