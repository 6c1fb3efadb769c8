import type { TeamMember } from "@/lib/dealerships/team";
import type { LeadFilters } from "@/lib/leads/lead-filters.schema";
import type { LeadSource } from "@/lib/leads/lead-sources";
import { CONSENT_STATUS_LABELS, CONSENT_STATUSES, LEAD_STATUS_LABELS, LEAD_STATUSES } from "@/lib/leads/lead-status";

const selectClass = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";

/** GET form: filters are not personal data, so they may live in the URL (bookmarkable). The assignee filter needs leads.view_all. */
export function LeadFiltersForm({
  filters,
  sources,
  team,
  canSeeAll,
}: {
  filters: LeadFilters;
  sources: LeadSource[];
  team: TeamMember[];
  canSeeAll: boolean;
}) {
  return (
    <form method="get" className="flex flex-wrap items-end gap-3" data-test="lead-filters">
      <label className="text-sm">
        <span className="block text-slate-500">Status</span>
        <select name="status" defaultValue={filters.status ?? ""} className={selectClass}>
          <option value="">Any</option>
          {LEAD_STATUSES.map((s) => (
            <option key={s} value={s}>
              {LEAD_STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm">
        <span className="block text-slate-500">Consent</span>
        <select name="consent" defaultValue={filters.consent ?? ""} className={selectClass}>
          <option value="">Any</option>
          {CONSENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {CONSENT_STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm">
        <span className="block text-slate-500">Source</span>
        <select
          name="source"
          defaultValue={filters.source ?? ""}
          className={selectClass}
          data-test="lead-filter-source"
        >
          <option value="">Any</option>
          {sources.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      {canSeeAll ? (
        <label className="text-sm">
          <span className="block text-slate-500">Assigned to</span>
          <select name="assigned" defaultValue={filters.assigned ?? ""} className={selectClass}>
            <option value="">Anyone</option>
            <option value="me">Me</option>
            <option value="none">Unassigned</option>
            {team.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.displayName}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label className="text-sm">
        <span className="block text-slate-500">Sort</span>
        <select name="sort" defaultValue={filters.sort} className={selectClass}>
          <option value="activity_desc">Most recent activity</option>
          <option value="activity_asc">Oldest activity</option>
        </select>
      </label>
      <button
        type="submit"
        className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white"
        data-test="lead-filters-apply"
      >
        Apply
      </button>
    </form>
  );
}
