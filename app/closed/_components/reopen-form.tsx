"use client";

import { useRouter } from "next/navigation";
import { SensitiveForm } from "@/app/_components/sensitive-form";
import { reopenDealershipAction } from "../actions";

/** Owners: undo the closure (asks for the password or code first). */
export function ReopenDealershipForm({
  dealershipId,
  name,
  mfa,
}: {
  dealershipId: string;
  name: string;
  mfa: boolean;
}) {
  const router = useRouter();
  return (
    <SensitiveForm
      action={reopenDealershipAction}
      mfa={mfa}
      className="flex flex-wrap items-center gap-3"
      test="reopen-form"
      onSuccess={() => {
        router.push("/dashboard");
        router.refresh();
      }}
    >
      {(pending) => (
        <>
          <input type="hidden" name="dealershipId" value={dealershipId} />
          <button
            type="submit"
            disabled={pending}
            className="rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700"
            data-test="reopen-submit"
          >
            {pending ? "Reopening…" : `Reopen ${name}`}
          </button>
        </>
      )}
    </SensitiveForm>
  );
}
