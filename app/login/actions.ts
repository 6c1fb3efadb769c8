"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { recordSecondFactorFailure, recordSessionEvent, recordSignInFailure } from "@/lib/audit/account-events";
import { throwawayAuthClient } from "@/lib/auth/auth-clients";
import { verifyAccessToken } from "@/lib/auth/claims";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { verifiedTotpFactorId, verifyTotpCode } from "@/lib/auth/second-factor";
import { signInWithLimits } from "@/lib/auth/sign-in";
import { signInSchema } from "@/lib/auth/sign-in.schema";
import { createSupabaseServerClient } from "@/lib/auth/supabase-server";
import { serverEnv } from "@/lib/env/server-env";
import { clientAddress, takeRateLimitSlot } from "@/lib/rate-limit/rate-limit";
import { AppError } from "@/lib/server/app-error";
import { recordReauthentication } from "@/lib/server/step-up";
import { accountAction, publicAction } from "@/lib/server/user-action";
import { getUserState } from "@/lib/server/user-context";

/**
 * Password sign-in (limited per e-mail and per client address); on success, go to a same-origin
 * `next`, or first to the second-factor step when the account has one. Every failure (wrong e-mail
 * or password, limited) gets the same message.
 */
export const signInAction = publicAction(signInSchema, async ({ email, password, next }) => {
  const requestHeaders = await headers();
  // The browser's User-Agent, so the session list can name the device (Auth records it).
  const supabase = await createSupabaseServerClient({ "User-Agent": requestHeaders.get("user-agent") ?? "unknown" });
  let accessToken: string | null = null;
  let hasSecondFactor = false;
  // The sign-in's own audit row (auth.signed_in) is written by the database as Auth starts the
  // session (migration 20261130110000), so a sign-in that skips this page is recorded too.
  const result = await signInWithLimits(
    { email, password, clientAddress: clientAddress(requestHeaders) },
    async (e, p) => {
      const { data, error } = await supabase.auth.signInWithPassword({ email: e, password: p });
      // The Auth server being down is not a wrong password: say so, and count nothing as success.
      if (error && ((error.status ?? 0) >= 500 || error.name === "AuthRetryableFetchError"))
        throw new AppError("internal", "Sign-in is unavailable right now. Please try again.");
      accessToken = data.session?.access_token ?? null;
      hasSecondFactor = (data.user?.factors ?? []).some((f) => f.status === "verified");
      // Audited inside the failure's time floor, so the write cannot tell a registered address apart.
      if (error) await recordSignInFailure(e);
      return !error;
    },
  );
  if (!result.ok) throw new AppError("unauthenticated", result.message);
  // A password sign-in is a fresh proof of the password (step-up) for the next 5 minutes.
  const claims = accessToken ? await verifyAccessToken(accessToken, serverEnv().SUPABASE_URL) : null;
  if (claims) await recordReauthentication(claims, "password");
  const target = safeNextPath(next);
  if (hasSecondFactor) redirect(`/login/mfa?next=${encodeURIComponent(target)}`);
  redirect(target);
});

const mfaSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app."),
  next: z.string().optional(),
});

/** The second step of signing in with a second factor: a TOTP code (limited per user). */
export const verifySignInCodeAction = accountAction(
  mfaSchema,
  async ({ code, next }, account) => {
    const supabase = await createSupabaseServerClient();
    const factorId = await verifiedTotpFactorId(supabase);
    if (!factorId) redirect(safeNextPath(next));
    try {
      await verifyTotpCode(supabase, account.claims.sub, factorId, code);
    } catch (err) {
      // A code Auth refused is a failed sign-in, audited like a wrong password (a limited attempt
      // never reached Auth and is not).
      if (err instanceof AppError && err.code === "invalid_input") await recordSecondFactorFailure(account.claims);
      throw err;
    }
    await recordReauthentication(account.claims, "totp");
    await recordSessionEvent(account.claims, { action: "auth.second_factor_verified" });
    redirect(safeNextPath(next));
  },
  { allowMfaPending: true },
);

const forgotSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("Enter the e-mail address you sign in with.").max(255)),
});

/**
 * Send a password-reset link through Supabase Auth's recovery flow. The answer is the same
 * whether or not the address has an account (no enumeration); requests are limited per address.
 */
export const requestPasswordResetAction = publicAction(forgotSchema, async ({ email }) => {
  const wait = await takeRateLimitSlot("passwordReset", email);
  if (wait === 0) {
    const { error } = await throwawayAuthClient().resetPasswordForEmail(email, {
      redirectTo: `${new URL(serverEnv().APP_BASE_URL).origin}/reset-password`,
    });
    // Auth's own once-a-minute limit (429) is answered like a success: the first e-mail is on its way.
    if (error && (error.status ?? 0) >= 500) {
      throw new AppError("internal", "Password reset is unavailable right now. Please try again.");
    }
  }
  return { sent: true };
});

/** Sign out this session (the Auth server deletes it, which ends its access tokens too) and clear cookies. */
export async function signOutAction(): Promise<void> {
  const state = await getUserState();
  // Recorded while the session still exists (the database checks it is the user's).
  if (state.kind !== "signed_out") {
    await recordSessionEvent(state.kind === "member" ? state.ctx.claims : state.claims, {
      action: "auth.signed_out",
      scope: "local",
    });
  }
  const supabase = await createSupabaseServerClient();
  await supabase.auth.signOut({ scope: "local" });
  redirect("/login");
}
