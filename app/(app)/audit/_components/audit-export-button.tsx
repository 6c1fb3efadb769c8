"use client";

import { useState } from "react";
import type { AuditFilterValues } from "@/lib/audit/audit-filters.schema";
import { streamedDownload } from "@/app/_components/streamed-download";

/** Download the log as filtered on the page (the filters are posted, not put in a URL). */
export function AuditExportButton({ filters }: { filters: AuditFilterValues }) {
  const [status, setStatus] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function download() {
    setBusy(true);
    setError(null);
    const result = await streamedDownload("/api/audit/export", filters, "audit-log.csv", (bytes) =>
      setStatus(`Downloading… ${(bytes / 1024).toFixed(0)} KB received`),
    );
    setBusy(false);
    if (result.kind === "saved") setStatus(`Done: ${(result.bytes / 1024).toFixed(0)} KB saved.`);
    else {
      setStatus("");
      setError(result.kind === "error" ? result.message : "Confirm it is you, then try again.");
    }
  }

  return (
    <div className="flex flex-wrap items-center gap-3">
      <button
        type="button"
        onClick={download}
        disabled={busy}
        className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-semibold text-slate-700 disabled:opacity-60"
        data-test="audit-export"
      >
        {busy ? "Preparing…" : "Download as CSV"}
      </button>
      <p role="status" aria-live="polite" className="text-sm text-slate-600" data-test="audit-export-status">
        {status}
      </p>
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" data-test="audit-export-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
