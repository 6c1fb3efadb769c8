"use client";

import { useActionState } from "react";
import { resetReplyTemplateAction, saveReplyTemplateAction } from "../actions";

/** One intent's suggested answer: the text (merge fields allowed) and whether it goes out on its own. */
export function ReplyTemplateForm({
  intent,
  label,
  body,
  custom,
  autoSend,
  autoSendAllowed,
}: {
  intent: string;
  label: string;
  body: string;
  custom: boolean;
  autoSend: boolean;
  autoSendAllowed: boolean;
}) {
  const [result, save, saving] = useActionState(saveReplyTemplateAction, null);
  const [resetResult, reset, resetting] = useActionState(resetReplyTemplateAction, null);
  const error =
    (result && !result.ok ? result.error : null) ?? (resetResult && !resetResult.ok ? resetResult.error : null);
  return (
    <li className="space-y-2 py-4" data-test="reply-template" data-intent={intent}>
      <form action={save} className="space-y-2">
        <input type="hidden" name="intent" value={intent} />
        <label className="block">
          <span className="text-sm font-medium">
            {label} {custom ? null : <span className="font-normal text-slate-500">(default)</span>}
          </span>
          <textarea
            name="body"
            defaultValue={body}
            rows={2}
            maxLength={640}
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
            data-test="reply-template-body"
          />
        </label>
        <div className="flex flex-wrap items-center gap-4 text-sm">
          {autoSendAllowed ? (
            <label className="flex items-center gap-2">
              <input type="checkbox" name="autoSend" defaultChecked={autoSend} data-test="reply-template-auto" />
              Send automatically
            </label>
          ) : (
            <span className="text-slate-600">Never sent automatically</span>
          )}
          <button
            type="submit"
            disabled={saving}
            className="rounded-md bg-brand-600 px-3 py-1 font-semibold text-white disabled:opacity-50"
            data-test="reply-template-save"
          >
            Save
          </button>
          {result?.ok ? <span className="text-green-800">Saved.</span> : null}
        </div>
      </form>
      {custom ? (
        <form action={reset}>
          <input type="hidden" name="intent" value={intent} />
          <button type="submit" disabled={resetting} className="text-xs text-slate-700 hover:underline">
            Back to the default
          </button>
        </form>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error.message}{" "}
          {Object.values(error.fieldErrors ?? {})
            .flat()
            .join(" ")}
        </p>
      ) : null}
    </li>
  );
}
