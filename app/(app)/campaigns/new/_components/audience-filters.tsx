"use client";

import {
  CONSENT_STATUS_LABELS,
  CONSENT_STATUSES,
  LEAD_STATUS_LABELS,
  LEAD_STATUSES,
  type ConsentStatus,
  type LeadStatus,
} from "@/lib/leads/lead-status";

/** The audience as the form holds it (the server parses it with campaignAudienceSchema). */
export interface AudienceDraft {
  status: LeadStatus[];
  sourceId?: string;
  consent?: ConsentStatus;
  inactiveDays?: number;
  assignedTo?: string;
  importId?: string;
}

export interface Option {
  id: string;
  label: string;
}

interface Props {
  value: AudienceDraft;
  onChange: (value: AudienceDraft) => void;
  sources: Option[];
  team: Option[];
  imports: Option[];
}

// Opted-out leads are never texted (the count lists them as excluded), so they are not offered.
const PICKABLE_STATUSES = LEAD_STATUSES.filter((s) => s !== "opted_out");
const selectClass = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";

/** Which leads the campaign is for; every change updates the live count beside it. */
export function AudienceFilters({ value, onChange, sources, team, imports }: Props) {
  const set = (patch: Partial<AudienceDraft>) => onChange({ ...value, ...patch });
  const toggleStatus = (s: LeadStatus, on: boolean) =>
    set({ status: on ? [...value.status, s] : value.status.filter((x) => x !== s) });
  return (
    <div className="grid grid-cols-2 gap-4" data-test="campaign-audience">
      <fieldset className="col-span-2">
        <legend className="text-sm text-slate-600">Lead status (none ticked: any)</legend>
        <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
          {PICKABLE_STATUSES.map((s) => (
            <label key={s} className="flex items-center gap-1 text-sm">
              <input
                type="checkbox"
                checked={value.status.includes(s)}
                onChange={(e) => toggleStatus(s, e.target.checked)}
                data-test={`campaign-audience-status-${s}`}
              />
              {LEAD_STATUS_LABELS[s]}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="text-sm">
        <span className="text-slate-600">Source</span>
        <select
          value={value.sourceId ?? ""}
          onChange={(e) => set({ sourceId: e.target.value || undefined })}
          className={selectClass}
          data-test="campaign-audience-source"
        >
          <option value="">Any</option>
          {sources.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm">
        <span className="text-slate-600">SMS consent</span>
        <select
          value={value.consent ?? ""}
          onChange={(e) => set({ consent: (e.target.value || undefined) as ConsentStatus | undefined })}
          className={selectClass}
          data-test="campaign-audience-consent"
        >
          <option value="">Any</option>
          {CONSENT_STATUSES.filter((c) => c !== "opted_out").map((c) => (
            <option key={c} value={c}>
              {CONSENT_STATUS_LABELS[c]}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm">
        <span className="text-slate-600">No activity for at least (days)</span>
        <input
          type="number"
          min={1}
          max={3650}
          inputMode="numeric"
          value={value.inactiveDays ?? ""}
          onChange={(e) => set({ inactiveDays: e.target.value === "" ? undefined : Number(e.target.value) })}
          className={selectClass}
          placeholder="any"
          data-test="campaign-audience-inactive-days"
        />
      </label>
      <label className="text-sm">
        <span className="text-slate-600">Assigned to</span>
        <select
          value={value.assignedTo ?? ""}
          onChange={(e) => set({ assignedTo: e.target.value || undefined })}
          className={selectClass}
          data-test="campaign-audience-assigned"
        >
          <option value="">Anyone</option>
          <option value="none">Unassigned</option>
          {team.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
      <label className="col-span-2 text-sm">
        <span className="text-slate-600">From the import</span>
        <select
          value={value.importId ?? ""}
          onChange={(e) => set({ importId: e.target.value || undefined })}
          className={selectClass}
          data-test="campaign-audience-import"
        >
          <option value="">Any import</option>
          {imports.map((i) => (
            <option key={i.id} value={i.id}>
              {i.label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
