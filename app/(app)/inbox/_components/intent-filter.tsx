import Link from "next/link";
import type { InboxFilter } from "@/lib/inbox/inbox.schema";
import { INTENT_LABELS, INTENTS } from "@/lib/triage/intents";

/**
 * Filter and sort the conversation list by the intent of each lead's latest reply. A GET form: the
 * filter lives in the URL (intents are not personal data) and works before any script loads.
 */
export function IntentFilter({ filter }: { filter: InboxFilter }) {
  const queue = filter.show === "needs_person";
  return (
    <div className="space-y-2 border-t border-slate-100 px-4 py-3" data-test="intent-filter">
      <div className="flex gap-2 text-sm">
        <Link
          href="/inbox"
          aria-current={!filter.show ? "page" : undefined}
          className={`rounded px-2 py-0.5 ${!filter.show ? "text-brand-800 bg-brand-50 font-semibold" : "text-slate-700 hover:underline"}`}
        >
          All
        </Link>
        <Link
          href="/inbox?show=needs_person"
          aria-current={queue ? "page" : undefined}
          className={`rounded px-2 py-0.5 ${queue ? "text-brand-800 bg-brand-50 font-semibold" : "text-slate-700 hover:underline"}`}
          data-test="queue-needs-person"
        >
          Needs a person
        </Link>
      </div>
      <form method="get" action="/inbox" className="flex items-end gap-2 text-sm">
        <label className="flex min-w-0 flex-1 flex-col">
          <span className="text-xs text-slate-600">Show</span>
          <select
            name="show"
            defaultValue={filter.show ?? ""}
            className="rounded-md border border-slate-300 px-1 py-1"
            data-test="intent-filter-show"
          >
            <option value="">All replies</option>
            <option value="needs_person">Needs a person</option>
            {INTENTS.map((i) => (
              <option key={i} value={i}>
                {INTENT_LABELS[i]}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-slate-600">Sort</span>
          <select
            name="sort"
            defaultValue={filter.sort ?? "recent"}
            className="rounded-md border border-slate-300 px-1 py-1"
            data-test="intent-filter-sort"
          >
            <option value="recent">Newest</option>
            <option value="intent">By intent</option>
          </select>
        </label>
        <button
          type="submit"
          className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-50"
          data-test="intent-filter-apply"
        >
          Apply
        </button>
      </form>
    </div>
  );
}
