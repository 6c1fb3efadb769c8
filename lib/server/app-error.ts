/**
 * The one error type shown to users. Domain code throws AppError with a safe message; anything
 * else (a raw database error, a bug) becomes a generic "internal" error and is logged by code only.
 */
export type AppErrorCode =
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "invalid_input"
  | "conflict"
  | "rate_limited"
  | "payload_too_large"
  | "unsupported_media_type"
  | "internal";

export const HTTP_STATUS: Record<AppErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid_input: 422,
  conflict: 409,
  rate_limited: 429,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
};

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** Map any thrown value to an AppError without leaking database or stack details. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const pgCode = (err as { code?: unknown })?.code;
  if (pgCode === "42501") return new AppError("forbidden", "You do not have permission to do that.");
  if (pgCode === "23505") return new AppError("conflict", "That already exists.");
  if (pgCode === "23503" || pgCode === "23514" || pgCode === "22P02") {
    return new AppError("invalid_input", "Some of the values are not valid.");
  }
  // Postgres messages can quote row values, so only their code is logged; our own errors never carry PII.
  const detail = typeof pgCode === "string" ? `pg=${pgCode}` : String((err as Error)?.message ?? err).slice(0, 300);
  console.error(`[internal] ${(err as Error)?.name ?? "Error"}: ${detail}`);
  return new AppError("internal", "Something went wrong. Please try again.");
}
