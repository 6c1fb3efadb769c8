"use client";
import { useActionState, useId } from "react";
import { assignNumberAction, releaseNumberAction, type NumberChangeState } from "../actions";

/** A dealership's sending numbers with a release button each, and a form to assign a platform number. */
export function SendingNumberControls({
  dealershipId,
  name,
  numbers,
}: {
  dealershipId: string;
  name: string;
  numbers: string[];
}) {
  const [released, release, releasing] = useActionState<NumberChangeState, FormData>(releaseNumberAction, null);
  const [assigned, assign, assigning] = useActionState<NumberChangeState, FormData>(assignNumberAction, null);
  const inputId = useId();
  return (
    <div className="flex flex-col gap-2">
      <form action={release} className="flex flex-col gap-1">
        <input type="hidden" name="dealershipId" value={dealershipId} />
        {numbers.length === 0 && <span>None</span>}
        {numbers.map((n) => (
          <span key={n} className="flex items-center gap-2" data-test="operator-number">
            <span>{n}</span>
            <button
              name="address"
              value={n}
              disabled={releasing}
              aria-label={`Release ${n} from ${name}`}
              data-test="operator-release-number"
              className="rounded-md border border-slate-400 px-1 text-xs disabled:opacity-60"
            >
              Release
            </button>
          </span>
        ))}
        <span
          role="status"
          data-test="operator-release-status"
          className={released?.ok === false ? "text-xs text-red-700" : "text-xs text-slate-700"}
        >
          {released?.message}
        </span>
      </form>
      <form action={assign} className="flex items-center gap-1">
        <input type="hidden" name="dealershipId" value={dealershipId} />
        <label htmlFor={inputId} className="sr-only">
          Platform number to assign to {name}
        </label>
        <input
          id={inputId}
          name="phoneNumber"
          required
          maxLength={40}
          placeholder="+1…"
          data-test="operator-assign-input"
          className="w-32 rounded-md border border-slate-400 px-1 text-xs"
        />
        <button
          disabled={assigning}
          aria-label={`Assign the number to ${name}`}
          data-test="operator-assign-number"
          className="rounded-md bg-slate-800 px-1 text-xs text-white disabled:opacity-60"
        >
          Assign
        </button>
      </form>
      <span
        role="status"
        data-test="operator-assign-status"
        className={assigned?.ok === false ? "text-xs text-red-700" : "text-xs text-slate-700"}
      >
        {assigned?.message}
      </span>
    </div>
  );
}
