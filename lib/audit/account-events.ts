import "server-only";
/**
 * Account events for the audit log: the second step of signing in, a failed sign-in (wrong
 * password or wrong code), sign-out, re-authentication, and the account's own security changes.
 * Supabase Auth performs these, so the app reports each one after Auth answered, as the
 * `session_guard` role (which may do nothing else but record re-authentication proofs), through
 * definer functions that check the session belongs to the user (migrations 20261130082200,
 * 20261130110000). A session opens every dealership of its user, so each event lands in the log
 * of every dealership the user belongs to. The sign-in itself is recorded by the database when
 * Auth starts the session (a trigger on auth.sessions), however the sign-in reached Auth; ending
 * one other session is recorded by public.revoke_my_session.
 */
import type { VerifiedClaims } from "@/lib/auth/claims";
import { withService } from "@/lib/db/scope";

/** An event of a signed-in session, with its one detail. */
export type SessionEvent =
  | { action: "auth.second_factor_verified" }
  | { action: "auth.reauthenticated"; method: "password" | "totp" }
  | { action: "auth.signed_out"; scope: "local" | "global" }
  | { action: "auth.password_changed" }
  | { action: "auth.second_factor_enabled" }
  | { action: "auth.second_factor_removed" };

function detailOf(event: SessionEvent): string {
  switch (event.action) {
    case "auth.reauthenticated":
      return event.method;
    case "auth.signed_out":
      return event.scope;
    case "auth.password_changed":
      return "password";
    default:
      return "totp";
  }
}

/** Record an event of this session's user (call only after Auth accepted what it describes). */
export async function recordSessionEvent(claims: VerifiedClaims, event: SessionEvent): Promise<void> {
  if (!claims.session_id) return;
  await withService(
    "session_guard",
    ({ sql }) =>
      sql`select private.record_session_event(${claims.session_id!}, ${claims.sub}, ${event.action}, ${detailOf(event)})`,
  );
}

/**
 * Record a sign-in the Auth server refused for this e-mail: an `auth.sign_in_failed` row (no
 * actor, the account as target) in each dealership of the account, if there is one. The e-mail
 * is used for the lookup only and never stored.
 */
export async function recordSignInFailure(email: string): Promise<void> {
  await withService("session_guard", ({ sql }) => sql`select private.record_sign_in_failure(${email})`);
}

/**
 * Record that Auth refused the code this session entered at the second step of signing in: an
 * `auth.sign_in_failed` row (reason `wrong_code`, no actor, the account as target) in each
 * dealership of the account. Nothing for a session that already finished signing in.
 */
export async function recordSecondFactorFailure(claims: VerifiedClaims): Promise<void> {
  if (!claims.session_id) return;
  await withService(
    "session_guard",
    ({ sql }) => sql`select private.record_second_factor_failure(${claims.session_id!}, ${claims.sub})`,
  );
}
