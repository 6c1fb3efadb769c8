import type { Metadata } from "next";
import { formatUtcTimestamp } from "@/lib/format/timestamp";
import { MAX_IMPORT_BYTES } from "@/lib/leads/import/import-limits";
import { IMPORT_FIELD_LABELS, IMPORT_FIELDS } from "@/lib/leads/import/import-mapping.schema";
import { expireStaleImports, listLeadImports } from "@/lib/leads/import/import-records";
import { requireUserPage } from "@/lib/server/require-user-page";
import { ImportWizard } from "./_components/import-wizard";

export const metadata: Metadata = { title: "Import leads" };

export default async function ImportPage() {
  const ctx = await requireUserPage({ permission: "leads.import" });
  const history = await ctx.run(async (scope) => {
    // An import whose process died shows as failed, with its reason, instead of "processing" forever.
    await expireStaleImports(scope);
    return listLeadImports(scope, 20);
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
                    <span className="block text-xs text-red-700" data-test="import-history-error">
                      {h.error}
                    </span>
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
