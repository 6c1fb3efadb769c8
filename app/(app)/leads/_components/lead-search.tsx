"use client";

import Link from "next/link";
import { useActionState } from "react";
import { LEAD_STATUS_LABELS } from "@/lib/leads/lead-status";
import { searchLeadsAction } from "../actions";

/** Exact-match search by phone, e-mail or full name (blind indexes on the server). */
export function LeadSearch() {
  const [state, action, pending] = useActionState(searchLeadsAction, null);
  return (
    <div className="rounded-lg bg-white p-4 shadow-sm">
      <form action={action} className="flex gap-2" data-test="lead-search">
        <input
          name="q"
          required
          maxLength={254}
          placeholder="Exact phone, e-mail or full name"
          aria-label="Search leads"
          className="flex-1 rounded-md border border-slate-300 px-3 py-2"
          data-test="lead-search-input"
        />
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-slate-800 px-4 py-2 text-white"
          data-test="lead-search-submit"
        >
          Search
        </button>
      </form>
      {state && !state.ok ? (
        <p className="mt-2 text-sm text-red-700" role="alert">
          {state.error.fieldErrors?.q?.[0] ?? state.error.message}
        </p>
      ) : null}
      {state?.ok ? (
        <ul className="mt-3 divide-y divide-slate-100" data-test="lead-search-results">
          {state.data.length === 0 ? <li className="py-2 text-sm text-slate-500">No lead matches exactly.</li> : null}
          {state.data.map((hit) => (
            <li key={hit.id} className="flex justify-between py-2 text-sm" data-test="lead-search-hit">
              <Link href={`/leads/${hit.id}`} className="text-brand-700 hover:underline">
                {hit.name}
              </Link>
              <span className="font-mono text-slate-600">{hit.phone}</span>
              <span className="text-slate-500">{LEAD_STATUS_LABELS[hit.status]}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
