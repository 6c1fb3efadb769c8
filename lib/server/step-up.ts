import "server-only";
/**
 * Step-up re-authentication: before a destructive or sensitive operation (removing a member or
 * changing a role, sending numbers, second-factor changes, and later exports, erasure and account
 * deletion) the session must have proved its user again in the last 5 minutes: the password, or a
 * TOTP code when the user has a second factor. The proof is recorded by the `session_guard`
 * database role only after Supabase Auth accepted the password or code, and the sensitive
 * database functions check it themselves (private.require_recent_auth), so the rule holds for
 * the Data API as well as for our routes.
 *
 * Use: `userAction(schema, handler, { recentAuth: true })` / `accountAction(..., { recentAuth: true })`,
 * or call `requireRecentAuth(ctx)` first thing in a handler; on the client, wrap the form with
 * `useStepUp` + `<ReauthDialog>` (app/_components/reauth-dialog.tsx), which asks for the
 * password or code when the action answers `reauthentication_required` and then retries it.
 */
import type { VerifiedClaims } from "@/lib/auth/claims";
import { withService, type SessionSecurity } from "@/lib/db/scope";
import { AppError } from "./app-error";

/** Throw `reauthentication_required` unless the session re-authenticated in the last 5 minutes. */
export function requireRecentAuth(ctx: { security: SessionSecurity }): void {
  if (!ctx.security.recentAuth) throw new AppError("reauthentication_required", "Confirm it is you to continue.");
}

/**
 * Record that this session's user proved who they are (call only after Auth accepted the
 * password or code). As the `session_guard` role, which may do nothing else.
 */
export async function recordReauthentication(claims: VerifiedClaims, method: "password" | "totp"): Promise<void> {
  if (!claims.session_id) return;
  await withService(
    "session_guard",
    ({ sql }) => sql`select private.record_reauthentication(${claims.session_id!}, ${claims.sub}, ${method})`,
  );
}
