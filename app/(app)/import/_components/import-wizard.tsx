"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { requestPreview, runImport } from "./import-api";
import type { ImportDone, ImportStreamLine, PreviewResponse } from "./import-types";
import { ImportSummary } from "./import-summary";
import { MappingReview } from "./mapping-review";
import { PreviewRows } from "./preview-rows";

type Step =
  | { name: "pick" }
  | { name: "review"; file: File; preview: PreviewResponse; mapping: Record<string, string>; dirty: boolean }
  | { name: "importing"; file: File; progress: Extract<ImportStreamLine, { type: "progress" }> | null }
  | { name: "done"; file: File; done: ImportDone };

interface Props {
  maxMegabytes: number;
  fieldOptions: { value: string; label: string }[];
}

/** Pick or drop a file → review the mapping and the first rows → import with live progress → summary. */
export function ImportWizard({ maxMegabytes, fieldOptions }: Props) {
  const [step, setStep] = useState<Step>({ name: "pick" });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const router = useRouter();

  async function choose(file: File | undefined) {
    setError(null);
    if (!file) return;
    if (file.size > maxMegabytes * 1024 * 1024)
      return setError(`The file is larger than the ${maxMegabytes} MB limit.`);
    setBusy(true);
    try {
      const preview = await requestPreview(file);
      setStep({ name: "review", file, preview, mapping: preview.mapping, dirty: false });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function recheck(file: File, mapping: Record<string, string>) {
    setBusy(true);
    setError(null);
    try {
      const preview = await requestPreview(file, mapping);
      setStep({ name: "review", file, preview, mapping: preview.mapping, dirty: false });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function start(file: File, mapping: Record<string, string>) {
    setError(null);
    setStep({ name: "importing", file, progress: null });
    try {
      let finished = false;
      await runImport(file, mapping, (line) => {
        if (line.type === "progress") setStep({ name: "importing", file, progress: line });
        else if (line.type === "done") {
          finished = true;
          setStep({ name: "done", file, done: line.summary });
          router.refresh(); // the import history below is server-rendered
        } else {
          finished = true;
          setError(line.message);
          setStep({ name: "pick" });
        }
      });
      if (!finished)
        throw new Error("The connection closed before the import finished. Check the import history below.");
    } catch (e) {
      setError((e as Error).message);
      setStep({ name: "pick" });
    }
  }

  return (
    <div className="space-y-4">
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" data-test="import-error">
          {error}
        </p>
      ) : null}

      {step.name === "pick" ? (
        <label
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            void choose(e.dataTransfer.files[0]);
          }}
          className={`flex cursor-pointer flex-col items-center justify-center rounded-lg border-2 border-dashed p-10 text-center ${dragging ? "border-brand-500 bg-brand-50" : "border-slate-300 bg-white"}`}
          data-test="import-dropzone"
        >
          <span className="font-medium">
            {busy ? "Reading the file…" : "Drop a CSV export from your CRM here, or click to choose one"}
          </span>
          <span className="mt-1 text-sm text-slate-500">
            Up to {maxMegabytes} MB and 250,000 rows. Comma, semicolon or tab separated.
          </span>
          <input
            type="file"
            accept=".csv,.txt,text/csv"
            className="sr-only"
            disabled={busy}
            onChange={(e) => void choose(e.target.files?.[0])}
            data-test="import-file"
          />
        </label>
      ) : null}

      {step.name === "review" ? (
        <div className="space-y-4 rounded-lg bg-white p-6 shadow-sm" data-test="import-review">
          <p className="text-sm text-slate-600">
            <strong>{step.preview.fileName}</strong>: {step.preview.totalRows} rows, {step.preview.encoding}, separated
            by {step.preview.delimiter === "\t" ? "tabs" : `"${step.preview.delimiter}"`}.{" "}
            {step.preview.savedMapping ? (
              <span data-test="import-saved-mapping">Using the mapping saved for files like this one.</span>
            ) : (
              "Mapping suggested from the headers; check it."
            )}
          </p>
          <MappingReview
            preview={step.preview}
            mapping={step.mapping}
            fieldOptions={fieldOptions}
            onChange={(header, field) => {
              const mapping = { ...step.mapping };
              if (field) mapping[header] = field;
              else delete mapping[header];
              setStep({ ...step, mapping, dirty: true });
            }}
          />
          {step.preview.mappingError ? (
            <p className="text-sm text-red-700" data-test="import-mapping-error">
              {step.preview.mappingError}
            </p>
          ) : null}
          <div className="flex gap-3">
            <button
              type="button"
              disabled={busy}
              onClick={() => void recheck(step.file, step.mapping)}
              className="rounded-md border border-slate-300 px-3 py-2 text-sm"
              data-test="import-recheck"
            >
              Check the rows again
            </button>
            <button
              type="button"
              disabled={busy || Boolean(step.preview.mappingError) || step.dirty}
              onClick={() => void start(step.file, step.mapping)}
              className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white disabled:opacity-50"
              data-test="import-start"
            >
              Import {step.preview.totalRows} rows
            </button>
            <button
              type="button"
              onClick={() => setStep({ name: "pick" })}
              className="text-sm text-slate-500 underline"
            >
              Choose another file
            </button>
          </div>
          {step.dirty ? (
            <p className="text-xs text-slate-500">You changed the mapping: check the rows again before importing.</p>
          ) : null}
          <PreviewRows preview={step.preview} />
        </div>
      ) : null}

      {step.name === "importing" ? (
        <div className="rounded-lg bg-white p-6 shadow-sm" data-test="import-progress">
          <p className="mb-2 text-sm">
            {step.progress
              ? `${step.progress.phase === "validating" ? "Checking rows" : "Saving leads"}: ${step.progress.processed} of ${step.progress.total}`
              : "Uploading…"}
          </p>
          <div className="h-3 w-full overflow-hidden rounded bg-slate-200">
            <div
              className="h-3 bg-brand-500 transition-all"
              style={{
                width: `${step.progress && step.progress.total ? Math.round((100 * step.progress.processed) / step.progress.total) : 2}%`,
              }}
              data-test="import-progress-bar"
            />
          </div>
        </div>
      ) : null}

      {step.name === "done" ? (
        <>
          <ImportSummary done={step.done} fileName={step.file.name} />
          <button
            type="button"
            onClick={() => setStep({ name: "pick" })}
            className="text-sm text-slate-500 underline"
            data-test="import-another"
          >
            Import another file
          </button>
        </>
      ) : null}
    </div>
  );
}
