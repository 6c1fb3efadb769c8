/** Browser-side calls to the import API. */
import type { ImportStreamLine, PreviewResponse } from "./import-types";

function uploadForm(file: File, mapping?: Record<string, string>): FormData {
  const form = new FormData();
  form.set("file", file);
  if (mapping) form.set("mapping", JSON.stringify(mapping));
  return form;
}

async function errorMessage(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `The server answered ${res.status}.`;
}

/** Ask the server to read the file and propose a mapping (nothing is written). */
export async function requestPreview(file: File, mapping?: Record<string, string>): Promise<PreviewResponse> {
  const res = await fetch("/api/imports/preview", { method: "POST", body: uploadForm(file, mapping) });
  if (!res.ok) throw new Error(await errorMessage(res));
  return (await res.json()) as PreviewResponse;
}

/** Run the import, calling onLine for every NDJSON line the server streams. */
export async function runImport(
  file: File,
  mapping: Record<string, string>,
  onLine: (line: ImportStreamLine) => void,
): Promise<void> {
  const res = await fetch("/api/imports", { method: "POST", body: uploadForm(file, mapping) });
  if (!res.ok || !res.body) throw new Error(await errorMessage(res));
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) onLine(JSON.parse(line) as ImportStreamLine);
  }
}
