"use client";

import { useState } from "react";
import type { TestPhoneLead } from "./test-phone";

/** Be one of the dealership's leads, or type any number. */
export function PhoneNumberPicker({
  leads,
  number,
  onChoose,
}: {
  leads: TestPhoneLead[];
  number: string | null;
  onChoose: (n: string | null) => void;
}) {
  const [typed, setTyped] = useState("");
  return (
    <div className="space-y-2 rounded-lg bg-white p-4 shadow-sm" data-test="phone-picker">
      {leads.length > 0 ? (
        <label className="block text-sm">
          <span className="text-slate-600">Be a lead</span>
          <select
            value={leads.some((l) => l.phone === number) ? number! : ""}
            onChange={(e) => onChoose(e.target.value || null)}
            className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1"
            data-test="phone-lead-select"
          >
            <option value="">— pick a lead —</option>
            {leads.map((l) => (
              <option key={l.id} value={l.phone} data-lead-id={l.id}>
                {l.name} · {l.phone}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <form
        // POST, so a submit before hydration never puts what was typed in the URL.
        method="post"
        onSubmit={(e) => {
          e.preventDefault();
          if (typed.trim()) onChoose(typed.trim());
        }}
        className="flex items-end gap-2 text-sm"
      >
        <label className="flex-1">
          <span className="text-slate-600">{leads.length > 0 ? "…or any number" : "This phone's number"}</span>
          <input
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            placeholder="+13125550101"
            className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 font-mono"
            data-test="phone-number-input"
          />
        </label>
        <button type="submit" className="rounded-md bg-slate-800 px-3 py-1.5 text-white" data-test="phone-number-use">
          Use
        </button>
      </form>
    </div>
  );
}
