"use client";

import { useId } from "react";
import { SensitiveForm } from "@/app/_components/sensitive-form";
import { transferOwnershipAction } from "../team-actions";

/** Owners: hand the dealership to another member (they become owner, you an admin). */
export function TransferOwnershipForm({ members, mfa }: { members: { userId: string; name: string }[]; mfa: boolean }) {
  const selectId = useId();
  return (
    <SensitiveForm
      action={transferOwnershipAction}
      mfa={mfa}
      confirm="Make this member the owner? You become an admin."
      className="flex flex-wrap items-center gap-2 text-sm"
      test="transfer-form"
    >
      {(pending) => (
        <>
          <label htmlFor={selectId} className="text-slate-700">
            Transfer ownership to
          </label>
          <select
            id={selectId}
            name="userId"
            defaultValue=""
            className="rounded-md border border-slate-300 px-2 py-0.5"
            data-test="transfer-to"
          >
            <option value="" disabled>
              Choose a member
            </option>
            {members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.name}
              </option>
            ))}
          </select>
          <button
            type="submit"
            disabled={pending}
            className="rounded-md border border-slate-300 px-2 py-0.5 hover:bg-slate-100"
            data-test="transfer-submit"
          >
            Transfer
          </button>
        </>
      )}
    </SensitiveForm>
  );
}
