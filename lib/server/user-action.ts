import "server-only";
/**
 * The wrappers every server action goes through. `userAction`: require a signed-in member
 * (verified claims), check the permission from the one map, parse the input with zod, run the
 * handler, and return a typed result instead of throwing. `publicAction`: the same for the few
 * actions that run signed out (sign-in). Both yield functions that React's `useActionState` takes
 * directly (`(previousState, formData)`) and that can also be called with the input alone.
 */
import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import type { VerifiedClaims } from "@/lib/auth/claims";
import type { Permission } from "@/lib/auth/permissions";
import { withAccount, type AccountSession, type SessionSecurity } from "@/lib/db/scope";
import { closedDealershipMessage, type ClosedDealership } from "@/lib/dealerships/closure";
import { withRequestId } from "@/lib/observability/logger";
import { AppError, toAppError, type AppErrorCode } from "./app-error";
import { requireRecentAuth } from "./step-up";
import { getUserState, type UserContext, type UserState } from "./user-context";

export type ActionError = { code: AppErrorCode; message: string; fieldErrors?: Record<string, string[]> };
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

/**
 * A server action usable as `useActionState(action, null)` or awaited as `action(input)`. The
 * two-argument form is declared last so `useActionState` infers its state and payload from it.
 */
export interface ServerAction<T> {
  (input: unknown): Promise<ActionResult<T>>;
  (previousState: ActionResult<T> | null, payload: FormData): Promise<ActionResult<T>>;
}

interface ActionOptions {
  /** The permission the user's role in the active dealership must hold; any member when omitted. */
  permission?: Permission;
  /**
   * A destructive or sensitive operation: the session must have re-authenticated (password, or a
   * TOTP code with a second factor) in the last 5 minutes, else the action answers
   * `reauthentication_required` and the form asks for it (ReauthDialog). See requireRecentAuth.
   */
  recentAuth?: boolean;
}

/** Turn FormData (or a plain object) into an object zod can parse; repeated keys become arrays. */
function formToObject(input: unknown): unknown {
  if (!(input instanceof FormData)) return input;
  const out: Record<string, unknown> = {};
  for (const [key, value] of input.entries()) {
    if (key.startsWith("$ACTION")) continue;
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** Parse with zod, or throw the one invalid-input error with per-field messages. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  message = "Please correct the highlighted fields.",
): z.infer<S> {
  const parsed = schema.safeParse(formToObject(input));
  if (!parsed.success) {
    const { fieldErrors } = z.flattenError(parsed.error) as { fieldErrors: Record<string, string[]> };
    throw new AppError("invalid_input", message, fieldErrors);
  }
  return parsed.data;
}

/** The result shape every refusal takes, whatever was thrown. */
export function actionFailure(err: unknown): { ok: false; error: ActionError } {
  // redirect() and notFound() inside a handler are control flow for Next, not failures.
  unstable_rethrow(err);
  const e = toAppError(err);
  return { ok: false, error: { code: e.code, message: e.message, fieldErrors: e.fieldErrors } };
}

/** `useActionState` passes (previousState, payload); a direct call passes the input alone. */
const inputOf = (previousOrInput: unknown, input: unknown, argc: number): unknown =>
  argc >= 2 ? input : previousOrInput;

/**
 * Run a server action with the request id the middleware gave its request (x-request-id) on every
 * log line it writes; a fresh id when there is no request (a direct call in a test or script).
 */
export async function withActionRequestId<T>(fn: () => Promise<T>): Promise<T> {
  let incoming: string | null = null;
  try {
    incoming = (await headers()).get("x-request-id");
  } catch {
    // Outside a request scope: withRequestId makes a fresh id.
  }
  return withRequestId(incoming, fn);
}

/** Define a server action for signed-in members of the active dealership. */
export function userAction<S extends z.ZodType, T>(
  schema: S,
  handler: (input: z.infer<S>, ctx: UserContext) => Promise<T>,
  options: ActionOptions = {},
): ServerAction<T> {
  return async (...args: unknown[]): Promise<ActionResult<T>> => withActionRequestId(() => runUserAction(args));
  async function runUserAction(args: unknown[]): Promise<ActionResult<T>> {
    try {
      const ctx = memberOrThrow(await getUserState());
      if (ctx.mfaSetupRequired) {
        throw new AppError("mfa_required", "This dealership requires two-factor authentication. Set it up first.");
      }
      if (options.permission && !ctx.can(options.permission))
        throw new AppError("forbidden", "Your role does not allow this.");
      if (options.recentAuth) requireRecentAuth(ctx);
      const input = parseOrThrow(schema, inputOf(args[0], args[1], args.length));
      return { ok: true, data: await handler(input, ctx) };
    } catch (err) {
      return actionFailure(err);
    }
  }
}

/**
 * The refusal for a member of a closed dealership (the page guard sends them to /closed): 403
 * `dealership_closed`, saying when it was closed and when it will be deleted.
 */
export function closedDealershipError(closed: readonly ClosedDealership[]): AppError {
  return new AppError("dealership_closed", closedDealershipMessage(closed));
}

/** The member behind a state, or the refusal that fits (signed out, second factor pending, no dealership). */
function memberOrThrow(state: UserState): UserContext {
  if (state.kind === "member") return state.ctx;
  if (state.kind === "mfa_pending") {
    throw new AppError("mfa_required", "Enter the code from your authenticator app to finish signing in.");
  }
  if (state.kind === "no_membership") throw new AppError("forbidden", "You are not a member of a dealership yet.");
  if (state.kind === "closed") throw closedDealershipError(state.closed);
  throw new AppError("unauthenticated", "Your session has ended. Please sign in again.");
}

/** A signed-in user acting on their own account (no dealership needed): sessions, password, MFA. */
export interface AccountContext {
  claims: VerifiedClaims;
  security: SessionSecurity;
  /** Run fn in one transaction as this user (RLS applies), with no dealership. */
  run<T>(fn: (session: AccountSession) => Promise<T>): Promise<T>;
}

interface AccountActionOptions {
  /** As ActionOptions.recentAuth. */
  recentAuth?: boolean;
  /** Usable while the second factor is still to be entered (the sign-in's own MFA step). */
  allowMfaPending?: boolean;
}

/**
 * The signed-in user behind a state, member of a dealership or not (a member of only closed
 * dealerships included), or the refusal: signed out, or the second factor still to enter.
 */
export function accountOrThrow(state: UserState, allowMfaPending = false): AccountContext {
  if (state.kind === "signed_out")
    throw new AppError("unauthenticated", "Your session has ended. Please sign in again.");
  if (state.kind === "mfa_pending" && !allowMfaPending) memberOrThrow(state);
  const claims = state.kind === "member" ? state.ctx.claims : state.claims;
  const security =
    state.kind === "member"
      ? state.ctx.security
      : state.kind === "no_membership" || state.kind === "closed"
        ? state.security
        : { mfaEnrolled: true, recentAuth: false };
  return { claims, security, run: (fn) => withAccount(claims, fn) };
}

/**
 * Define a server action for any signed-in user, member of a dealership or not: their own
 * sessions, password, second factor, invitations. A user with a second factor must have entered it.
 */
export function accountAction<S extends z.ZodType, T>(
  schema: S,
  handler: (input: z.infer<S>, account: AccountContext) => Promise<T>,
  options: AccountActionOptions = {},
): ServerAction<T> {
  return async (...args: unknown[]): Promise<ActionResult<T>> => withActionRequestId(() => runAccountAction(args));
  async function runAccountAction(args: unknown[]): Promise<ActionResult<T>> {
    try {
      const account = accountOrThrow(await getUserState(), options.allowMfaPending ?? false);
      if (options.recentAuth) requireRecentAuth(account);
      const input = parseOrThrow(schema, inputOf(args[0], args[1], args.length));
      return { ok: true, data: await handler(input, account) };
    } catch (err) {
      return actionFailure(err);
    }
  }
}

/** Define a server action that runs signed out (sign-in); same parsing and result shape. */
export function publicAction<S extends z.ZodType, T>(
  schema: S,
  handler: (input: z.infer<S>) => Promise<T>,
): ServerAction<T> {
  return async (...args: unknown[]): Promise<ActionResult<T>> =>
    withActionRequestId(async () => {
      try {
        return {
          ok: true,
          data: await handler(parseOrThrow(schema, inputOf(args[0], args[1], args.length), "Check the form.")),
        };
      } catch (err) {
        return actionFailure(err);
      }
    });
}
