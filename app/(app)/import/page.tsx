import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ALL_LEADS_ROLES } from "@/lib/dealerships/memberships";
import { IMPORT_FIELD_LABELS, IMPORT_FIELDS } from "@/lib/leads/import/import-mapping.schema";
import { MAX_IMPORT_BYTES } from "@/lib/leads/import/import-limits";
import { expireStaleImports, listLeadImports } from "@/lib/leads/import/import-records";
import { getUserContext } from "@/lib/server/user-context";
import { ImportWizard } from "./_components/import-wizard";
import { formatUtcTimestamp } from "@/lib/format/timestamp";

export const metadata: Metadata = { title: "Import leads" };

export default async function ImportPage() {
  const ctx = await getUserContext();
  if (!ctx) redirect("/login");
  if (!ALL_LEADS_ROLES.includes(ctx.active.role)) {
    return <p className="text-slate-600">Only owners, admins and managers can import leads.</p>;
  }
  const history = await ctx.run(async (tx) => {
    // An import whose process died shows as failed, with its reason, instead of "processing" forever.
    await expireStaleImports(tx, ctx.active.dealershipId);
    return listLeadImports(tx, ctx.active.dealershipId, 20);
  });
  const fieldOptions = IMPORT_FIELDS.map((f) => ({ value: f, label: IMPORT_FIELD_LABELS[f] }));
  return (
    <section className="space-y-6">
      <h1 className="text-2xl font-semibold">Import leads</h1>
      <ImportWizard maxMegabytes={MAX_IMPORT_BYTES / 1024 / 1024} fieldOptions={fieldOptions} />
      <div>
        <h2 className="mb-2 font-semibold">Recent imports</h2>
        <table className="w-full rounded-lg bg-white text-left text-sm shadow-sm" data-test="import-history">
          <thead className="bg-slate-100 text-slate-600">
            <tr>
              <th className="px-3 py-2">When</th>
              <th className="px-3 py-2">File</th>
              <th className="px-3 py-2">Status</th>
              <th className="px-3 py-2">Imported</th>
              <th className="px-3 py-2">Updated</th>
              <th className="px-3 py-2">Invalid</th>
              <th className="px-3 py-2">Suppressed</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h) => (
              <tr key={h.id} className="border-t border-slate-100" data-test="import-history-row">
                <td className="px-3 py-2 whitespace-nowrap">{formatUtcTimestamp(h.startedAt)}</td>
                <td className="px-3 py-2">{h.fileName}</td>
                <td className="px-3 py-2" data-test="import-history-status">
                  {h.status}
                  {h.status === "failed" && h.error ? (
                    <span className="block text-xs text-red-700" data-test="import-history-error">{h.error}</span>
                  ) : null}
                </td>
                <td className="px-3 py-2">{h.counts.imported}</td>
                <td className="px-3 py-2">{h.counts.updated}</td>
                <td className="px-3 py-2">{h.counts.invalid}</td>
                <td className="px-3 py-2">{h.counts.suppressed}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {history.length === 0 ? <p className="mt-2 text-sm text-slate-500">No imports yet.</p> : null}
      </div>
    </section>
  );
}
