/**
 * Request-body reading and validation shared by every endpoint.
 */
import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import { AuthApiError, badRequest } from "./errors";

/** Bodies above this are refused: nothing GoTrue accepts comes close, so larger ones are abuse. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Thrown (as a 413) when a body exceeds MAX_BODY_BYTES; the server then closes the connection. */
export class BodyTooLargeError extends AuthApiError {
  constructor() {
    super(413, "request_too_large", `Request body must not exceed ${MAX_BODY_BYTES} bytes`);
  }
}

/** Read the raw body, refusing it as soon as it grows past the limit. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
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
