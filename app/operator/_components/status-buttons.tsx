"use client";
import { useActionState } from "react";
import type { DealershipStatus } from "@/lib/platform/dealerships";
import { changeDealershipStatusAction, type StatusChangeState } from "../actions";

const ACTIONS: Record<DealershipStatus, { transition: "approve" | "suspend" | "resume"; label: string }[]> = {
  pending: [
    { transition: "approve", label: "Approve" },
    { transition: "suspend", label: "Suspend" },
  ],
  active: [{ transition: "suspend", label: "Suspend" }],
  suspended: [{ transition: "resume", label: "Resume" }],
};

/** The status changes that apply to a dealership in its current state. */
export function StatusButtons({
  dealershipId,
  name,
  status,
}: {
  dealershipId: string;
  name: string;
  status: DealershipStatus;
}) {
  const [state, action, pending] = useActionState<StatusChangeState, FormData>(changeDealershipStatusAction, null);
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="dealershipId" value={dealershipId} />
      {ACTIONS[status].map((a) => (
        <button
          key={a.transition}
          name="transition"
          value={a.transition}
          disabled={pending}
          aria-label={`${a.label} ${name}`}
          data-test={`operator-${a.transition}`}
          className="rounded-md bg-slate-800 px-2 py-1 text-sm text-white disabled:opacity-60"
        >
          {a.label}
        </button>
      ))}
      <span role="status" className={state?.ok === false ? "text-sm text-red-700" : "text-sm text-slate-700"}>
        {state?.message}
      </span>
    </form>
  );
}
