"use client";

import { startTransition, useActionState, useRef } from "react";
import { addDoNotContactAction } from "../actions";

/** Paste numbers, or load them from a text/CSV file (read in the browser, one number per line or cell). */
export function AddNumbersForm() {
  // Typed with its payload: the form dispatches FormData itself (see onSubmit).
  const [state, action, pending] = useActionState<Awaited<ReturnType<typeof addDoNotContactAction>> | null, FormData>(
    addDoNotContactAction,
    null,
  );
  const textarea = useRef<HTMLTextAreaElement>(null);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => action(data));
      }}
      className="space-y-3 rounded-lg bg-white p-6 shadow-sm"
      data-test="dnc-form"
    >
      <label className="block text-sm">
        <span className="text-slate-600">Phone numbers (one per line, or separated by commas)</span>
        <textarea
          ref={textarea}
          name="numbers"
          rows={4}
          className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 font-mono"
          data-test="dnc-numbers"
        />
      </label>
      <label className="block text-sm text-slate-600">
        …or load a file:{" "}
        <input
          type="file"
          accept=".csv,.txt,text/csv,text/plain"
          data-test="dnc-file"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (file && textarea.current) textarea.current.value = (await file.text()).slice(0, 400_000);
          }}
        />
      </label>
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white"
        data-test="dnc-add"
      >
        Add to the list
      </button>
      {state?.ok ? (
        <p className="text-sm text-green-700" role="status" data-test="dnc-result">
          Added {state.data.added}; {state.data.alreadyListed} already listed
          {state.data.invalid.length
            ? `; ${state.data.invalid.length} not read (${state.data.invalid
                .slice(0, 3)
                .map((i) => `#${i.index + 1}: ${i.reason}`)
                .join(", ")})`
            : ""}
          .
        </p>
      ) : null}
      {state && !state.ok ? (
        <p className="text-sm text-red-700" role="alert">
          {state.error.fieldErrors?.numbers?.[0] ?? state.error.message}
        </p>
      ) : null}
    </form>
  );
}
