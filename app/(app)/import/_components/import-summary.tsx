"use client";

import Link from "next/link";
import type { ImportDone } from "./import-types";

/** Download a CSV held in memory (the rejects never touch the server's disk or a URL). */
function downloadCsv(csv: string, name: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

export function ImportSummary({ done, fileName }: { done: ImportDone; fileName: string }) {
  const c = done.counts;
  const tiles: [string, number, string][] = [
    ["imported", c.imported, "New leads"],
    ["updated", c.updated, "Updated (already known)"],
    ["duplicates", c.duplicates, "Duplicates in the file"],
    ["invalid", c.invalid, "Invalid"],
    ["suppressed", c.suppressed, "Suppressed (opted out / do not contact)"],
  ];
  return (
    <div className="space-y-4" data-test="import-summary">
      <h2 className="text-lg font-semibold">
        Import finished: {c.total} rows read in {(done.durationMs / 1000).toFixed(1)} s
      </h2>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
        {tiles.map(([key, value, label]) => (
          <div key={key} className="rounded-lg bg-white p-3 shadow-sm" data-test={`import-count-${key}`}>
            <p className="text-xs text-slate-500">{label}</p>
            <p className="text-2xl font-bold" data-test="import-count-value">
              {value}
            </p>
          </div>
        ))}
      </div>
      {done.unmatchedSalespeople.length ? (
        <p className="text-sm text-amber-700">
          Salespeople not on your team (those leads are unassigned):{" "}
          {done.unmatchedSalespeople.map((s) => `${s.name} (${s.leads})`).join(", ")}
        </p>
      ) : null}
      {done.warningCount ? (
        <details className="text-sm">
          <summary>
            {done.warningCount} note{done.warningCount === 1 ? "" : "s"} on imported rows
          </summary>
          <ul className="mt-1 list-disc pl-6 text-slate-600">
            {done.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </details>
      ) : null}
      <div className="flex gap-3">
        {done.rejectsCsv ? (
          <button
            type="button"
            onClick={() => downloadCsv(done.rejectsCsv!, `${fileName.replace(/\.csv$/i, "")}-rejected.csv`)}
            className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
            data-test="import-download-rejects"
          >
            Download the {done.rejectedCount} rejected row{done.rejectedCount === 1 ? "" : "s"} (CSV with reasons)
          </button>
        ) : null}
        <Link
          href="/leads"
          className="rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold text-white"
          data-test="import-see-leads"
        >
          See the leads
        </Link>
      </div>
    </div>
  );
}
