import type { Metadata } from "next";
import Link from "next/link";
import { listAuditEvents, listAuditFilterChoices } from "@/lib/audit/audit-events";
import { auditFiltersSchema, auditFiltersToQuery, type AuditFilterValues } from "@/lib/audit/audit-filters.schema";
import { formatUtcTimestamp } from "@/lib/format/timestamp";
import { requireUserPage } from "@/lib/server/require-user-page";
import { AuditExportButton } from "./_components/audit-export-button";

export const metadata: Metadata = { title: "Audit log" };

const input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

/** The families of the recorded actions ("team.*"), for filtering a whole area at once. */
const familiesOf = (actions: string[]) => [...new Set(actions.map((a) => `${a.split(".")[0]}.*`))];

/** The dealership's audit log (owners and admins): filter by person, action and UTC dates; page; download as CSV. */
export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await requireUserPage({ permission: "audit.view" });
  const parsed = auditFiltersSchema.safeParse(await searchParams);
  const choices = await ctx.run(listAuditFilterChoices);
  const filters: AuditFilterValues = parsed.success
    ? { actor: parsed.data.actor, action: parsed.data.action, from: parsed.data.from, to: parsed.data.to }
    : {};
  const page = parsed.success ? await ctx.run((scope) => listAuditEvents(scope, parsed.data)) : null;
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => i.message);
  const filtered = Object.values(filters).some((v) => v !== undefined);

  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <form
        method="get"
        className="grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-5"
        data-test="audit-filters"
      >
        <label className="text-sm">
          <span className="font-medium">Person</span>
          <select name="actor" defaultValue={filters.actor ?? ""} className={input} data-test="audit-filter-actor">
            <option value="">Everyone</option>
            <option value="system">System (no person)</option>
            {choices.actors.map((a) => (
              <option key={a.userId} value={a.userId}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          <span className="font-medium">Action</span>
          <select name="action" defaultValue={filters.action ?? ""} className={input} data-test="audit-filter-action">
            <option value="">All actions</option>
            <optgroup label="Areas">
              {familiesOf(choices.actions).map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </optgroup>
            <optgroup label="Actions">
              {choices.actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <label className="text-sm">
          <span className="font-medium">From (UTC)</span>
          <input type="date" name="from" defaultValue={filters.from} className={input} data-test="audit-filter-from" />
        </label>
        <label className="text-sm">
          <span className="font-medium">To (UTC)</span>
          <input type="date" name="to" defaultValue={filters.to} className={input} data-test="audit-filter-to" />
        </label>
        <div className="flex items-end gap-3">
          <button
            type="submit"
            className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white"
            data-test="audit-filter-apply"
          >
            Apply
          </button>
          {filtered || problems.length ? (
            <Link href="/audit" className="text-sm text-brand-700 hover:underline" data-test="audit-filter-clear">
              Clear
            </Link>
          ) : null}
        </div>
      </form>

      {problems.length ? (
        <div
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700"
          data-test="audit-filter-error"
        >
          <p className="font-medium">These filters cannot be used:</p>
          <ul className="list-disc pl-5">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}

      {page ? (
        <>
          <AuditExportButton filters={filters} />
          <table className="w-full rounded-lg bg-white text-left text-sm shadow-sm" data-test="audit-table">
            <thead className="bg-slate-100 text-slate-600">
              <tr>
                <th className="px-3 py-2">When</th>
                <th className="px-3 py-2">Who</th>
                <th className="px-3 py-2">What</th>
                <th className="px-3 py-2">Details</th>
              </tr>
            </thead>
            <tbody>
              {page.events.map((e) => (
                <tr key={e.id} className="border-t border-slate-100" data-test="audit-row">
                  <td className="px-3 py-2 whitespace-nowrap">{formatUtcTimestamp(e.createdAt, "second")} UTC</td>
                  <td className="px-3 py-2">{e.actorEmail ?? "system"}</td>
                  <td className="px-3 py-2 font-mono">{e.action}</td>
                  <td className="px-3 py-2 font-mono text-xs text-slate-600">{JSON.stringify(e.metadata)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.events.length === 0 ? (
            <p className="text-slate-600" data-test="audit-empty">
              {filtered ? "Nothing matches these filters." : "Nothing recorded yet."}
            </p>
          ) : null}
          <nav aria-label="Audit log pages" className="flex justify-between text-sm">
            {page.newer !== null ? (
              <Link
                href={`/audit${auditFiltersToQuery(filters, { after: page.newer })}`}
                className="text-brand-700 hover:underline"
                data-test="audit-newer"
              >
                ← Newer
              </Link>
            ) : (
              <span />
            )}
            {page.older !== null ? (
              <Link
                href={`/audit${auditFiltersToQuery(filters, { before: page.older })}`}
                className="text-brand-700 hover:underline"
                data-test="audit-older"
              >
                Older →
              </Link>
            ) : null}
          </nav>
        </>
      ) : null}
    </section>
  );
}
