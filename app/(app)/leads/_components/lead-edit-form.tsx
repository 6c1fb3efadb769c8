"use client";

import { startTransition, useActionState } from "react";
import type { LeadPii, LeadPiiField } from "@/lib/leads/lead-fields";
import {
  CONSENT_STATUS_LABELS,
  CONSENT_STATUSES,
  LEAD_STATUS_LABELS,
  LEAD_STATUSES,
  type ConsentStatus,
  type LeadStatus,
} from "@/lib/leads/lead-status";
import { updateLeadAction } from "../actions";

const inputClass = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1";

interface Props {
  leadId: string;
  pii: LeadPii;
  /** Stored fields that would not decrypt: shown empty; kept as stored unless the details are changed. */
  unreadable: LeadPiiField[];
  status: LeadStatus;
  consentStatus: ConsentStatus;
  /** The lead's version this form was rendered from; a lead changed since refuses the save. */
  version: number;
}

const FIELDS: [keyof LeadPii, string][] = [
  ["firstName", "First name"],
  ["lastName", "Last name"],
  ["phone", "Phone"],
  ["email", "E-mail"],
  ["vehicleYear", "Year"],
  ["vehicleMake", "Make"],
  ["vehicleModel", "Model"],
  ["vehicleTrim", "Trim"],
  ["vehicleVin", "VIN"],
];

/**
 * Edit a lead's details; errors come back per field from the server's zod schema. An opted-out
 * lead's status and consent are not editable here (only START or a recorded re-consent undo it).
 */
export function LeadEditForm({ leadId, pii, unreadable, status, consentStatus, version }: Props) {
  const optedOut = consentStatus === "opted_out";
  // Typed with its payload: the form dispatches FormData itself (see onSubmit).
  const [state, action, pending] = useActionState<Awaited<ReturnType<typeof updateLeadAction>> | null, FormData>(
    updateLeadAction,
    null,
  );
  const fieldError = (name: string) => (state && !state.ok ? state.error.fieldErrors?.[name]?.[0] : undefined);
  return (
    <form
      // Submitting through a transition (not the form's action prop) keeps what the user typed
      // when the server refuses it; React would otherwise reset the fields to their defaults.
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => action(data));
      }}
      className="grid max-w-3xl grid-cols-2 gap-4 rounded-lg bg-white p-6 shadow-sm"
      data-test="lead-edit-form"
    >
      <input type="hidden" name="leadId" value={leadId} />
      <input type="hidden" name="version" value={version} />
      {FIELDS.map(([name, label]) => (
        <label key={name} className="text-sm">
          <span className="text-slate-600">{label}</span>
          <input
            name={name}
            defaultValue={pii[name] ?? ""}
            placeholder={unreadable.includes(name) ? "unreadable (kept unless you change the details)" : undefined}
            className={inputClass}
            data-test={`lead-${name}`}
          />
          {fieldError(name) ? <span className="text-xs text-red-700">{fieldError(name)}</span> : null}
        </label>
      ))}
      {optedOut ? (
        <p className="col-span-2 text-sm text-slate-600" data-test="lead-opted-out">
          <input type="hidden" name="status" value="opted_out" />
          <input type="hidden" name="consentStatus" value="opted_out" />
          Status and SMS consent: <strong>opted out</strong>. Only the lead (by texting START) or a recorded re-consent
          below can change that.
        </p>
      ) : (
        <>
          <label className="text-sm">
            <span className="text-slate-600">Status</span>
            <select name="status" defaultValue={status} className={inputClass} data-test="lead-status">
              {LEAD_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {LEAD_STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm">
            <span className="text-slate-600">SMS consent</span>
            <select name="consentStatus" defaultValue={consentStatus} className={inputClass} data-test="lead-consent">
              {CONSENT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {CONSENT_STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      <label className="col-span-2 text-sm">
        <span className="text-slate-600">Notes</span>
        <textarea name="notes" defaultValue={pii.notes ?? ""} rows={4} className={inputClass} data-test="lead-notes" />
      </label>
      <div className="col-span-2 flex items-center gap-4">
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white"
          data-test="lead-save"
        >
          {pending ? "Saving…" : "Save"}
        </button>
        {state?.ok ? (
          <span className="text-sm text-green-700" role="status" data-test="lead-saved">
            {state.data.changed.length ? "Saved." : "Nothing changed."}
          </span>
        ) : null}
        {state && !state.ok ? (
          <span className="text-sm text-red-700" role="alert" data-test="lead-error">
            {state.error.message}
          </span>
        ) : null}
      </div>
    </form>
  );
}
