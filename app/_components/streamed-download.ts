"use client";

/** How a streamed download ended. */
export type DownloadResult =
  { kind: "saved"; bytes: number } | { kind: "reauthenticate" } | { kind: "error"; message: string };

/**
 * POST a JSON body (nothing in the URL) to a route that streams a file back, report the bytes
 * received while it streams, then hand the file to the browser under the server's file name.
 * A `reauthentication_required` answer is returned as such, so the caller can ask for the
 * password or code (ReauthDialog) and call again.
 */
export async function streamedDownload(
  url: string,
  body: unknown,
  fallbackName: string,
  onBytes: (bytes: number) => void,
): Promise<DownloadResult> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok || !res.body) {
    const answer = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    if (answer?.error?.code === "reauthentication_required") return { kind: "reauthenticate" };
    return { kind: "error", message: answer?.error?.message ?? "The download failed. Please try again." };
  }
  const reader = res.body.getReader();
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value as Uint8Array<ArrayBuffer>);
      bytes += value.byteLength;
      onBytes(bytes);
    }
  } catch {
    return { kind: "error", message: "The download was interrupted. Please try again." };
  }
  const type = res.headers.get("content-type") ?? "application/octet-stream";
  const href = URL.createObjectURL(new Blob(parts, { type }));
  const a = document.createElement("a");
  a.href = href;
  a.download = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? fallbackName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return { kind: "saved", bytes };
}
