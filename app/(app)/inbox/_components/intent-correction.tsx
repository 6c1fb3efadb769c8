"use client";

import { useActionState } from "react";
import { INTENT_LABELS, INTENTS, type Intent } from "@/lib/triage/intents";
import { correctIntentAction } from "../actions";

/**
 * Correct a reply's intent with one click: each intent is a button of one form. The correction is
 * kept as a training example, and the automatic action of the old intent is undone.
 */
export function IntentCorrection({ leadId, messageId, intent }: { leadId: string; messageId: string; intent: Intent }) {
  const [result, action, pending] = useActionState(correctIntentAction, null);
  return (
    <details className="mt-1 text-xs" data-test="intent-correction">
      <summary className="cursor-pointer text-slate-600 hover:underline">Wrong intent?</summary>
      <form action={action} className="mt-1 flex flex-wrap gap-1">
        <input type="hidden" name="leadId" value={leadId} />
        <input type="hidden" name="messageId" value={messageId} />
        {INTENTS.filter((i) => i !== intent).map((i) => (
          <button
            key={i}
            type="submit"
            name="intent"
            value={i}
            disabled={pending}
            className="rounded border border-slate-300 px-1.5 py-0.5 text-slate-800 hover:bg-slate-50 disabled:opacity-50"
            data-test="intent-correct-to"
            data-intent={i}
          >
            {INTENT_LABELS[i]}
          </button>
        ))}
      </form>
      {result && !result.ok ? (
        <p role="alert" className="mt-1 text-red-700">
          {result.error.message}
        </p>
      ) : null}
    </details>
  );
}
