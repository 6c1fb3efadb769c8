/**
 * Request-body reading and validation shared by every endpoint.
 */
import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import { AuthApiError, badRequest } from "./errors";

/** Bodies above this are refused: nothing GoTrue accepts comes close, so larger ones are abuse. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Thrown (answered as a 413) when a body exceeds MAX_BODY_BYTES. */
class BodyTooLargeError extends AuthApiError {
  constructor() {
    super(413, "request_too_large", `Request body must not exceed ${MAX_BODY_BYTES} bytes`);
  }
}

/**
 * Read the raw body, keeping at most MAX_BODY_BYTES. An oversized body is read to its end and
 * discarded before the 413 is thrown: answering (or closing) while the client is still sending
 * makes it fail with EPIPE instead of seeing the 413.
 */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.once("end", () => {
      if (size > MAX_BODY_BYTES) reject(new BodyTooLargeError());
      else resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.once("error", reject);
  });
}

/**
 * Read and validate a JSON body. An empty body counts as `{}` (GoTrue treats it so, and
 * supabase-js sends none on some calls). Type mismatches answer GoTrue's `bad_json`.
 */
export async function readJson<S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<z.output<S>> {
  const text = await readBody(req);
  let data: unknown = {};
  if (text.trim() !== "") {
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw badRequest("bad_json", `Could not parse request body as JSON: ${(err as Error).message}`);
    }
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` (field ${issue.path.join(".")})` : "";
    throw badRequest("bad_json", `Could not parse request body as JSON: ${issue?.message ?? "invalid body"}${where}`);
  }
  return parsed.data;
}
