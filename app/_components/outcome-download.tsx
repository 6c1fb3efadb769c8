"use client";

import { useState } from "react";
import { ReauthDialog } from "./reauth-dialog";
import { streamedDownload } from "./streamed-download";

type State =
  | { kind: "idle" }
  | { kind: "downloading"; bytes: number }
  | { kind: "done"; bytes: number }
  | { kind: "error"; message: string };

/** A saved CRM column mapping the user can name the columns by. */
export interface MappingOption {
  id: string;
  label: string;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

/**
 * The outcome download: the saved mapping to name the columns by (the newest by default), then
 * a POST (nothing in the URL), the password or code when the server asks, progress, and the CSV.
 * `mappings: null` offers no choice: the server takes the newest saved mapping (the closed
 * dealership's page, where its mappings cannot be listed).
 */
export function OutcomeDownload({
  mfa,
  mappings,
  endpoint = "/api/export/outcomes",
  body = {},
}: {
  mfa: boolean;
  mappings: MappingOption[] | null;
  endpoint?: "/api/export/outcomes" | "/api/closed/export/outcomes";
  /** More of the POST body (ids only), e.g. { dealershipId }. */
  body?: Record<string, string>;
}) {
  const [mappingId, setMappingId] = useState<string>(mappings?.[0]?.id ?? "");
  const [state, setState] = useState<State>({ kind: "idle" });
  const [reauth, setReauth] = useState(false);

  async function download() {
    setState({ kind: "downloading", bytes: 0 });
    const result = await streamedDownload(
      endpoint,
      { ...body, mappingId: mappingId || null },
      "outcomes.csv",
      (bytes) => setState({ kind: "downloading", bytes }),
    );
    if (result.kind === "reauthenticate") {
      setState({ kind: "idle" });
      setReauth(true);
    } else if (result.kind === "error") setState({ kind: "error", message: result.message });
    else setState({ kind: "done", bytes: result.bytes });
  }

  const busy = state.kind === "downloading";
  return (
    <div className="space-y-3">
      {mappings === null ? (
        <p className="text-sm text-slate-600" data-test="outcome-newest-mapping">
          Column names come from the most recently saved import mapping (our own names where there is none).
        </p>
      ) : mappings.length > 0 ? (
        <label className="block text-sm">
          <span className="font-medium">Column names from</span>
          <select
            value={mappingId}
            onChange={(e) => setMappingId(e.target.value)}
            className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5"
            data-test="outcome-mapping"
          >
            {mappings.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <p className="text-sm text-slate-600" data-test="outcome-no-mapping">
          No saved import mapping yet: the columns get our own names.
        </p>
      )}
      <button
        type="button"
        onClick={download}
        disabled={busy}
        className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-60"
        data-test="outcome-download"
      >
        {busy ? "Preparing…" : "Download outcomes (CSV)"}
      </button>
      <p role="status" aria-live="polite" className="text-sm text-slate-600" data-test="outcome-status">
        {state.kind === "downloading"
          ? `Downloading… ${kb(state.bytes)} received`
          : state.kind === "done"
            ? `Done: ${kb(state.bytes)} saved.`
            : ""}
      </p>
      {state.kind === "error" ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" data-test="outcome-error">
          {state.message}
        </p>
      ) : null}
      {/* Mounted only while asked for: the page's other download has its own dialog. */}
      {reauth ? (
        <ReauthDialog
          open
          mfa={mfa}
          onConfirmed={() => {
            setReauth(false);
            void download();
          }}
          onCancel={() => setReauth(false)}
        />
      ) : null}
    </div>
  );
}
