/** Small HTTP helpers for the emulator: bounded body reading and JSON answers. */
import type { IncomingMessage, ServerResponse } from "node:http";

const MAX_BODY_BYTES = 1024 * 1024;

/** The request body as text; rejects bodies over 1 MB (nothing legitimate is that large). */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Parse a form or JSON body into string fields (the last value of a repeated form key wins). */
export function parseFields(body: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes("application/json")) return body ? (JSON.parse(body) as Record<string, unknown>) : {};
  return Object.fromEntries(new URLSearchParams(body));
}

/** Send a JSON answer. */
export function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}
