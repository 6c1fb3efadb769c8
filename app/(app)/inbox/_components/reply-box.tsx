"use client";

import { useState, useTransition } from "react";
import { MAX_BODY_CHARS } from "@/lib/sms/message-limits";
import { countSmsSegments } from "@/lib/sms/segments";
import { sendReplyAction } from "../actions";
import { SegmentCounter } from "../../_components/segment-counter";

type SendResult = Awaited<ReturnType<typeof sendReplyAction>>;

/**
 * The reply box. `refusal` (opted out, do-not-contact, no number) disables it and says why; the
 * server refuses the same cases on its own, whatever the browser sends.
 */
export function ReplyBox({
  leadId,
  refusal,
  suggestion = null,
}: {
  leadId: string;
  refusal: string | null;
  /** The suggested answer to the lead's latest reply (never sent unless staff send it). */
  suggestion?: { text: string; label: string } | null;
}) {
  const [body, setBody] = useState("");
  const [result, setResult] = useState<SendResult | null>(null);
  const [pending, startTransition] = useTransition();
  const count = countSmsSegments(body);
  const disabled = refusal !== null;
  return (
    <form
      // POST, so a submit before hydration never puts what was typed in the URL.
      method="post"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        // Keep what was typed until the server has accepted it.
        startTransition(async () => {
          const r = await sendReplyAction(data);
          setResult(r);
          if (r.ok) setBody("");
        });
      }}
      className="space-y-2 rounded-lg bg-white p-4 shadow-sm"
      data-test="reply-form"
    >
      <input type="hidden" name="leadId" value={leadId} />
      {refusal ? (
        <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700" data-test="reply-disabled-reason">
          {refusal}
        </p>
      ) : null}
      {suggestion && !refusal ? (
        <div className="rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm" data-test="suggested-reply">
          <p className="text-xs font-medium text-sky-900">Suggested answer ({suggestion.label})</p>
          <p className="mt-1 text-slate-800" data-test="suggested-reply-text">
            {suggestion.text}
          </p>
          <button
            type="button"
            onClick={() => setBody(suggestion.text)}
            className="mt-1 text-xs font-semibold text-brand-700 hover:underline"
            data-test="use-suggested-reply"
          >
            Use it (edit before sending)
          </button>
        </div>
      ) : null}
      <label className="block">
        <span className="sr-only">Reply</span>
        <textarea
          name="body"
          value={body}
          onChange={(e) => setBody(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) e.currentTarget.form?.requestSubmit();
          }}
          disabled={disabled}
          maxLength={MAX_BODY_CHARS}
          rows={3}
          placeholder={disabled ? "Replying is not possible" : "Write a reply… (Ctrl+Enter sends)"}
          className="block w-full rounded-md border border-slate-300 px-3 py-2 disabled:bg-slate-100"
          data-test="reply-body"
        />
      </label>
      <div className="flex items-start justify-between gap-4">
        <SegmentCounter count={count} />
        <button
          type="submit"
          disabled={disabled || pending || body.trim() === ""}
          className="shrink-0 rounded-md bg-brand-600 px-4 py-2 font-semibold text-white disabled:opacity-50"
          data-test="reply-send"
        >
          {pending ? "Sending…" : "Send"}
        </button>
      </div>
      {result && !result.ok ? (
        <p className="text-sm text-red-700" role="alert" data-test="reply-error">
          {result.error.message}
          {result.error.fieldErrors?.body?.[0] ? ` ${result.error.fieldErrors.body[0]}` : null}
        </p>
      ) : null}
    </form>
  );
}
