"use client";

import { useState, useTransition } from "react";
import { sendFromTestPhoneAction } from "../actions";

interface Props {
  from: string;
  /** Who to answer: the number that texted last, else the dealership's first. */
  defaultTo: string;
  knownNumbers: string[];
  onSent: () => void;
}

/** Type a text as the lead; the emulator delivers it to the app's inbound webhook. */
export function PhoneReplyForm({ from, defaultTo, knownNumbers, onSent }: Props) {
  const [body, setBody] = useState("");
  const [to, setTo] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const target = to ?? defaultTo;
  return (
    <form
      // POST, so a submit before hydration never puts what was typed in the URL.
      method="post"
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(async () => {
          const result = await sendFromTestPhoneAction({ from, to: target, body });
          if (!result.ok) {
            // Every refusal is shown, with the field that caused it (e.g. a "To" that is not a number).
            const fields = Object.values(result.error.fieldErrors ?? {}).flat();
            setMessage({ ok: false, text: [result.error.message, ...fields].join(" ") });
            return;
          }
          const accepted = result.data.appStatus === 200;
          setMessage({ ok: accepted, text: accepted ? "Sent." : `The app answered HTTP ${result.data.appStatus}.` });
          if (accepted) setBody("");
          onSent();
        });
      }}
      className="space-y-2 border-t border-slate-200 pt-3"
      data-test="phone-reply-form"
    >
      <label className="block text-sm">
        <span className="text-slate-600">To</span>
        <input
          value={target}
          onChange={(e) => setTo(e.target.value)}
          list="dealership-numbers"
          placeholder="the dealership's number, e.g. +13125550000"
          className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 font-mono"
          data-test="phone-reply-to"
        />
        <datalist id="dealership-numbers">
          {knownNumbers.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
      </label>
      <div className="flex gap-2">
        <textarea
          value={body}
          onChange={(e) => setBody(e.target.value)}
          rows={2}
          placeholder="Text message"
          className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1"
          data-test="phone-reply-body"
        />
        <button
          type="submit"
          disabled={pending || !body || !target}
          className="rounded-md bg-green-700 px-4 font-semibold text-white disabled:opacity-50"
          data-test="phone-reply-send"
        >
          {pending ? "…" : "Send"}
        </button>
      </div>
      {message ? (
        <p
          className={`text-sm ${message.ok ? "text-green-700" : "text-red-700"}`}
          role={message.ok ? "status" : "alert"}
          data-test="phone-reply-result"
        >
          {message.text}
        </p>
      ) : null}
    </form>
  );
}
