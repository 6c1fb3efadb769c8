"use client";

import { useActionState } from "react";
import { setTriageLlmAction } from "../actions";

/** The dealership's opt-in to the operator's LLM for sorting replies. */
export function TriageLlmForm({ enabled, configured }: { enabled: boolean; configured: boolean }) {
  const [result, action, pending] = useActionState(setTriageLlmAction, null);
  return (
    <form action={action} className="flex flex-wrap items-center gap-4 text-sm" data-test="triage-llm-form">
      <label className="flex items-center gap-2">
        <input type="checkbox" name="enabled" defaultChecked={enabled} disabled={!configured} />
        Sort replies with the AI model (only the reply&apos;s text is sent)
      </label>
      <button
        type="submit"
        disabled={pending || !configured}
        className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-50 disabled:opacity-50"
      >
        Save
      </button>
      {!configured ? <span className="text-slate-600">No AI model is configured on this server.</span> : null}
      {result && !result.ok ? (
        <span role="alert" className="text-red-700">
          {result.error.message}
        </span>
      ) : null}
    </form>
  );
}
