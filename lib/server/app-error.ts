/**
 * The one error type shown to users. Domain code throws AppError with a safe message; anything
 * else (a raw database error, a bug) becomes a generic "internal" error and is logged by code only,
 * through the structured logger (request id on the line, PII paths censored, phones and e-mails
 * masked). Server code only (the logger is Node's): client forms import only types from here.
 * Not marked "server-only", because the import worker threads (plain Node) load it too.
 */
import { logger } from "@/lib/observability/logger";

export type AppErrorCode =
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "invalid_input"
  | "conflict"
  | "rate_limited"
  | "payload_too_large"
  | "unsupported_media_type"
  /** A sensitive operation needs a fresh password or code first (step-up); the UI asks for it. */
  | "reauthentication_required"
  /** The session must finish two-factor sign-in (aal2) first. */
  | "mfa_required"
  /** The dealership the user works in was closed (account deletion); pages send them to /closed. */
  | "dealership_closed"
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
  reauthentication_required: 403,
  mfa_required: 403,
  dealership_closed: 403,
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

/**
 * The product's own SQL error codes (`raise exception ... using errcode = 'RL0xx'` in
 * supabase/migrations) and what a user is told for each. One registry: domain code lets these
 * errors propagate and toAppError turns them into messages; a new code is added here.
 */
export const SQL_ERROR_MESSAGES: Record<string, { code: AppErrorCode; message: string }> = {
  RL001: { code: "conflict", message: "This lead has opted out of text messages." },
  RL002: { code: "conflict", message: "Add a sending number in Settings before sending messages." },
  RL003: { code: "invalid_input", message: "This lead has no phone number." },
  RL010: {
    code: "conflict",
    message: "This lead opted out. Only the lead's own START, or a recorded re-consent, can change that.",
  },
  RL011: { code: "conflict", message: "This lead has not opted out." },
  RL020: { code: "invalid_input", message: "Twilio did not confirm this number for the platform. Please try again." },
  RL021: { code: "conflict", message: "That number is part of another dealership's Messaging Service." },
  RL030: { code: "conflict", message: "A dealership must keep at least one owner. Make someone else an owner first." },
  RL031: { code: "forbidden", message: "Only an owner can make, change or remove owners." },
  RL032: { code: "conflict", message: "That person is already a member of this dealership." },
  RL033: { code: "conflict", message: "This invitation has already been used or withdrawn." },
  RL034: { code: "conflict", message: "This invitation has expired. Ask for a new one." },
  RL035: { code: "not_found", message: "This invitation is not for this account." },
  RL036: { code: "not_found", message: "That person is not a member of this dealership." },
  RL037: { code: "invalid_input", message: "Reassign the leads to a current member of the team." },
  RL040: { code: "reauthentication_required", message: "Confirm it is you to continue." },
  RL041: {
    code: "conflict",
    message: "Set up two-factor authentication for yourself before requiring it for everyone.",
  },
  RL050: { code: "conflict", message: "This campaign was already launched or canceled." },
  RL051: { code: "invalid_input", message: "Pick one of this dealership's sending numbers." },
  RL052: { code: "conflict", message: "No lead in this audience can be texted right now." },
  RL053: { code: "conflict", message: "Only a scheduled or sending campaign can be paused." },
  RL054: { code: "conflict", message: "Only a paused campaign can be resumed." },
  RL055: { code: "conflict", message: "This campaign has finished; there is nothing left to cancel." },
  RL056: {
    code: "conflict",
    message: "This form was already used for another campaign. Reload the page and try again.",
  },
  RL060: { code: "conflict", message: "This reply proposes no appointment to confirm." },
  RL080: {
    code: "conflict",
    message: "This number belongs to an erased person who opted out, so it stays on the do-not-contact list.",
  },
  RL070: {
    code: "conflict",
    message: "This dealership cannot send messages until the platform approves it (or while it is suspended).",
  },
  RL071: { code: "not_found", message: "No such dealership." },
  RL090: { code: "not_found", message: "That saved column mapping no longer exists. Choose another one." },
  RL091: { code: "invalid_input", message: "The audit log filters are not valid." },
  RL095: { code: "conflict", message: "That number already belongs to a dealership. Release it there first." },
  RL100: {
    code: "invalid_input",
    message: "Type the dealership's name exactly as shown to confirm.",
  },
  RL101: { code: "conflict", message: "This dealership is already closed, or no longer closed." },
  RL102: { code: "conflict", message: "The 30 days to reopen this dealership have passed; it is being deleted." },
  RL103: { code: "conflict", message: "This dealership was closed; it sends no messages." },
  RL104: { code: "internal", message: "The dealership could not be deleted completely; nothing was deleted." },
  RL105: { code: "invalid_input", message: "Say why you need access, in 10 to 500 characters." },
  RL106: { code: "conflict", message: "You already have an open request for this dealership." },
  RL107: {
    code: "conflict",
    message: "This request is no longer open (already answered, expired or ended). Reload the page.",
  },
  RL108: { code: "forbidden", message: "Nobody can grant or answer their own support access request." },
  RL109: { code: "invalid_input", message: "Choose one of the offered durations." },
  RL110: {
    code: "conflict",
    message: "The 30 days have passed: this dealership is being deleted and its data can no longer be downloaded.",
  },
  RL111: {
    code: "conflict",
    message: "This dealership is open again: download its data from Settings → Your data.",
  },
  RL120: {
    code: "mfa_required",
    message:
      "Platform operators must sign in with two-factor authentication. Set up an authenticator app under Operator → Security.",
  },
};

type InternalErrorReporter = (fields: { event: "internal_error"; errorName: string; detail: string }) => void;

/** Where toAppError reports an internal error: the structured logger (error monitoring adds Sentry). */
let reportInternal: InternalErrorReporter = (fields) => logger().error(fields, "internal error");

/** Route toAppError's internal-error reports (the server's structured logger calls this). */
export function setInternalErrorReporter(reporter: InternalErrorReporter): void {
  reportInternal = reporter;
}

/** The user's message for one of our own SQL error codes (RL0xx), or null for any other error. */
export function ownSqlError(err: unknown): AppError | null {
  const pgCode = (err as { code?: unknown })?.code;
  const known =
    typeof pgCode === "string" && Object.hasOwn(SQL_ERROR_MESSAGES, pgCode) ? SQL_ERROR_MESSAGES[pgCode] : undefined;
  return known ? new AppError(known.code, known.message) : null;
}

/** Map any thrown value to an AppError without leaking database or stack details. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const pgCode = (err as { code?: unknown })?.code;
  const own = ownSqlError(err);
  if (own) return own;
  if (pgCode === "42501") return new AppError("forbidden", "You do not have permission to do that.");
  if (pgCode === "23505") return new AppError("conflict", "That already exists.");
  if (pgCode === "23503" || pgCode === "23514" || pgCode === "22P02") {
    return new AppError("invalid_input", "Some of the values are not valid.");
  }
  // Postgres messages can quote row values, so only their code is logged; our own errors never carry PII.
  const detail = typeof pgCode === "string" ? `pg=${pgCode}` : String((err as Error)?.message ?? err).slice(0, 300);
  reportInternal({ event: "internal_error", errorName: (err as Error)?.name ?? "Error", detail });
  return new AppError("internal", "Something went wrong. Please try again.");
}
