"use client";

import { useCallback, useEffect, useState } from "react";
import { loadTestPhoneAction, type PhoneMessage } from "../actions";
import { PhoneNumberPicker } from "./phone-number-picker";
import { PhoneReplyForm } from "./phone-reply-form";
import { PhoneThread } from "./phone-thread";

/** A demo lead the phone can pretend to be. */
export interface TestPhoneLead {
  id: string;
  name: string;
  phone: string;
}

const STORAGE_KEY = "test-phone-number";
const POLL_MS = 2500;

/**
 * The phone itself. The chosen number lives in this tab's state (and sessionStorage, to survive
 * a reload), never in the URL: a phone number is personal data.
 */
export function TestPhone({ leads, dealershipNumbers }: { leads: TestPhoneLead[]; dealershipNumbers: string[] }) {
  const [number, setNumber] = useState<string | null>(null);
  const [messages, setMessages] = useState<PhoneMessage[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (n: string) => {
    const result = await loadTestPhoneAction(n);
    if (result.ok) {
      setMessages(result.data.messages);
      setError(null);
      // Typed as "(312) 555-0101": continue with the E.164 form the server read.
      if (result.data.number !== n) {
        setNumber(result.data.number);
        sessionStorage.setItem(STORAGE_KEY, result.data.number);
      }
    } else {
      setError(result.error.message);
    }
  }, []);

  useEffect(() => {
    const saved = sessionStorage.getItem(STORAGE_KEY);
    // eslint-disable-next-line react-hooks/set-state-in-effect -- restoring from storage happens only in the browser
    if (saved) setNumber(saved);
  }, []);

  // Refresh while visible; a hidden tab stops asking and catches up when it comes back.
  useEffect(() => {
    if (!number) return;
    const tick = () => {
      if (document.visibilityState === "visible") void load(number);
    };
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, POLL_MS);
    document.addEventListener("visibilitychange", tick);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
      document.removeEventListener("visibilitychange", tick);
    };
  }, [number, load]);

  const choose = (n: string | null) => {
    setMessages([]);
    setError(null);
    setNumber(n);
    if (n) sessionStorage.setItem(STORAGE_KEY, n);
    else sessionStorage.removeItem(STORAGE_KEY);
  };

  // Answer whoever texted last; otherwise the dealership's first number.
  const lastSender = [...messages].reverse().find((m) => m.side === "in")?.counterpart ?? null;
  const defaultTo = lastSender ?? dealershipNumbers[0] ?? "";
  const lead = leads.find((l) => l.phone === number);

  return (
    <div className="space-y-4" data-test="test-phone">
      <PhoneNumberPicker leads={leads} number={number} onChoose={choose} />
      {number ? (
        <div className="space-y-3 rounded-2xl border-4 border-slate-800 bg-white p-4 shadow-lg">
          <p className="text-sm text-slate-600" data-test="phone-active-number" data-number={number}>
            This phone: <span className="font-mono">{number}</span>
            {lead ? ` (${lead.name})` : ""}
          </p>
          <PhoneThread messages={messages} />
          {error ? (
            <p className="text-sm text-red-700" role="alert" data-test="phone-error">
              {error}
            </p>
          ) : null}
          <PhoneReplyForm
            key={number}
            from={number}
            defaultTo={defaultTo}
            knownNumbers={dealershipNumbers}
            onSent={() => load(number)}
          />
        </div>
      ) : null}
    </div>
  );
}
