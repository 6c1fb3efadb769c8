/**
 * GoTrue's error shapes. supabase-js decides what kind of error to raise from these bodies
 * (auth-js lib/fetch.ts handleError), so they are reproduced field for field.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** An HTTP error as GoTrue's apierrors.HTTPError: a status, a machine code and a message. */
export class AuthApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

/** GoTrue's WeakPasswordError: a 422 that also lists why the password was refused. */
export class WeakPasswordError extends AuthApiError {
  constructor(
    message: string,
    readonly reasons: string[],
  ) {
    super(422, "weak_password", message);
  }
}

/** An OAuth2-style error (`{error, error_description}`), which GoTrue still uses on /token for a few cases. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(description || error);
  }
}

/** Shorthands for the statuses GoTrue uses. */
export const badRequest = (code: string, msg: string) => new AuthApiError(400, code, msg);
export const forbidden = (code: string, msg: string) => new AuthApiError(403, code, msg);
export const notFound = (code: string, msg: string) => new AuthApiError(404, code, msg);
export const unprocessable = (code: string, msg: string) => new AuthApiError(422, code, msg);

const API_VERSION_HEADER = "x-supabase-api-version";
const API_VERSION_2024 = Date.parse("2024-01-01T00:00:00Z");

/**
 * GoTrue answers errors in the 2024-01-01 format (`{code: "<error code>", message}`) when the
 * request asks for that API version (supabase-js always does) and echoes the version back;
 * otherwise it keeps the original format (`{code: <status>, error_code, msg}`).
 */
function wantsVersion2024(req: IncomingMessage): boolean {
  const raw = req.headers[API_VERSION_HEADER];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(t) && t >= API_VERSION_2024;
}

/** Write an error the way GoTrue would; anything unexpected becomes a 500 `unexpected_failure`. */
export function sendError(req: IncomingMessage, res: ServerResponse, err: unknown): number {
  if (err instanceof OAuthError) {
    // GoTrue sends OAuth errors as 400 in every API version.
    const body: Record<string, string> = { error: err.error };
    if (err.description) body.error_description = err.description;
    writeJson(res, 400, body);
    return 400;
  }
  const e =
    err instanceof AuthApiError
      ? err
      : new AuthApiError(
          500,
          "unexpected_failure",
          "Unexpected failure, please check server logs for more information",
        );
  const v2024 = wantsVersion2024(req);
  if (v2024) res.setHeader("X-Supabase-Api-Version", "2024-01-01");
  const body: Record<string, unknown> = v2024
    ? { code: e.errorCode, message: e.message }
    : { code: e.status, error_code: e.errorCode, msg: e.message };
  if (e instanceof WeakPasswordError) body.weak_password = { reasons: e.reasons };
  writeJson(res, e.status, body);
  return e.status;
}

/** Serialise `body` as the JSON response. */
export function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}
