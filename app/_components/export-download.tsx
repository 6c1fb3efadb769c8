"use client";

import { useId, useState } from "react";
import { ReauthDialog } from "./reauth-dialog";
import { streamedDownload } from "./streamed-download";

type Format = "csv" | "json";
type State =
  | { kind: "idle" }
  | { kind: "downloading"; bytes: number }
  | { kind: "done"; bytes: number }
  | { kind: "error"; message: string };

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * The export button: POSTs the format (nothing in the URL), asks for the password or code when
 * the server wants a recent re-authentication, shows the bytes received while the ZIP streams,
 * then saves it. Settings → Your data uses /api/export; the closed-dealership page
 * /api/closed/export with the dealership's id in `body`.
 */
export function ExportDownload({
  mfa,
  endpoint = "/api/export",
  body = {},
}: {
  mfa: boolean;
  endpoint?: "/api/export" | "/api/closed/export";
  /** More of the POST body (ids only), e.g. { dealershipId }. */
  body?: Record<string, string>;
}) {
  // Per instance: the closed page can show one export per closed dealership.
  const formatName = useId();
  const [format, setFormat] = useState<Format>("csv");
  const [state, setState] = useState<State>({ kind: "idle" });
  const [reauth, setReauth] = useState(false);

  async function download() {
    setState({ kind: "downloading", bytes: 0 });
    const result = await streamedDownload(endpoint, { ...body, format }, "export.zip", (bytes) =>
      setState({ kind: "downloading", bytes }),
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
      <fieldset className="flex gap-4 text-sm">
        <legend className="sr-only">File format</legend>
        {(["csv", "json"] as const).map((f) => (
          <label key={f} className="flex items-center gap-1">
            <input
              type="radio"
              name={formatName}
              value={f}
              checked={format === f}
              onChange={() => setFormat(f)}
              data-test={`export-format-${f}`}
            />
            {f === "csv" ? "CSV (opens in Excel)" : "JSON"}
          </label>
        ))}
      </fieldset>
      <button
        type="button"
        onClick={download}
        disabled={busy}
        className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-60"
        data-test="export-download"
      >
        {busy ? "Preparing…" : "Download all data"}
      </button>
      <p role="status" aria-live="polite" className="text-sm text-slate-600" data-test="export-status">
        {state.kind === "downloading"
          ? `Downloading… ${mb(state.bytes)} received`
          : state.kind === "done"
            ? `Done: ${mb(state.bytes)} saved.`
            : ""}
      </p>
      {state.kind === "error" ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" data-test="export-error">
          {state.message}
        </p>
      ) : null}
      <ReauthDialog
        open={reauth}
        mfa={mfa}
        onConfirmed={() => {
          setReauth(false);
          void download();
        }}
        onCancel={() => setReauth(false)}
      />
    </div>
  );
}
