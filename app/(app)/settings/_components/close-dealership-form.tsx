"use client";

import { useRouter } from "next/navigation";
import { useId } from "react";
import { SensitiveForm } from "@/app/_components/sensitive-form";
import { closeDealershipAction } from "../close-actions";

/** Owners: close the dealership, typing its name to confirm (asks for the password or code first). */
export function CloseDealershipForm({ name, mfa }: { name: string; mfa: boolean }) {
  const router = useRouter();
  const inputId = useId();
  return (
    <SensitiveForm
      action={closeDealershipAction}
      mfa={mfa}
      confirm={`Close ${name}? Every member loses access at once.`}
      className="flex flex-col gap-2 text-sm"
      test="close-form"
      onSuccess={() => {
        router.push("/closed");
        router.refresh();
      }}
    >
      {(pending) => (
        <>
          <label htmlFor={inputId} className="text-slate-700">
            Type <strong>{name}</strong> to confirm
          </label>
          <input
            id={inputId}
            name="confirmName"
            autoComplete="off"
            required
            className="max-w-sm rounded-md border border-slate-300 px-3 py-1.5"
            data-test="close-confirm-name"
          />
          <button
            type="submit"
            disabled={pending}
            className="self-start rounded-md bg-red-700 px-3 py-1.5 font-medium text-white hover:bg-red-800"
            data-test="close-submit"
          >
            {pending ? "Closing…" : "Close this dealership"}
          </button>
        </>
      )}
    </SensitiveForm>
  );
}
