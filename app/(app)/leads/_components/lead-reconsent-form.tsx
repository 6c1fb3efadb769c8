"use client";

import { useActionState } from "react";
import { RECONSENT_REASONS, RECONSENT_SOURCES } from "@/lib/leads/lead-update.schema";
import { reconsentLeadAction } from "../actions";

const selectClass = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1";

/** Opt an opted-out lead back in on a recorded re-consent (offered only with leads.reconsent). */
export function LeadReconsentForm({ leadId }: { leadId: string }) {
  const [state, action, pending] = useActionState(reconsentLeadAction, null);
  const fieldError = (name: string) => (state && !state.ok ? state.error.fieldErrors?.[name]?.[0] : undefined);
  return (
    <form
      action={action}
      className="grid max-w-3xl grid-cols-2 gap-4 rounded-lg bg-white p-6 shadow-sm"
      data-test="lead-reconsent-form"
    >
      <h2 className="col-span-2 font-semibold">Record a re-consent</h2>
      <p className="col-span-2 text-sm text-slate-600">
        Only when the customer has given consent again. The reason and how it was given are kept in the consent history
        and the audit log.
      </p>
      <input type="hidden" name="leadId" value={leadId} />
      <label className="text-sm">
        <span className="text-slate-600">Reason</span>
        <select name="reason" defaultValue="" className={selectClass} data-test="lead-reconsent-reason">
          <option value="" disabled>
            Choose…
          </option>
          {Object.entries(RECONSENT_REASONS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        {fieldError("reason") ? <span className="text-xs text-red-700">{fieldError("reason")}</span> : null}
      </label>
      <label className="text-sm">
        <span className="text-slate-600">How it was given</span>
        <select name="source" defaultValue="" className={selectClass} data-test="lead-reconsent-source">
          <option value="" disabled>
            Choose…
          </option>
          {Object.entries(RECONSENT_SOURCES).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        {fieldError("source") ? <span className="text-xs text-red-700">{fieldError("source")}</span> : null}
      </label>
      <div className="col-span-2 flex items-center gap-4">
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-slate-800 px-4 py-2 text-sm text-white"
          data-test="lead-reconsent-submit"
        >
          Record re-consent
        </button>
        {state && !state.ok ? (
          <span className="text-sm text-red-700" role="alert">
            {state.error.message}
          </span>
        ) : null}
      </div>
    </form>
  );
}
