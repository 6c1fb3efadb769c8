"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { recordSessionEvent } from "@/lib/audit/account-events";
import { recordDealershipSwitch } from "@/lib/audit/audit-events";
import { ACTIVE_DEALERSHIP_COOKIE, activeDealershipCookieOptions } from "@/lib/auth/cookie-options";
import { withUser } from "@/lib/db/scope";
import { AppError } from "@/lib/server/app-error";
import { confirmPassword } from "@/lib/auth/password-check";
import { verifiedTotpFactorId, verifyTotpCode } from "@/lib/auth/second-factor";
import { createSupabaseServerClient } from "@/lib/auth/supabase-server";
import { clientAddress } from "@/lib/rate-limit/rate-limit";
import { recordReauthentication } from "@/lib/server/step-up";
import { accountAction, userAction } from "@/lib/server/user-action";

const switchSchema = z.object({ dealershipId: z.uuid("Choose a dealership.") });

/**
 * Switch the active dealership; the database records the switch in the target dealership's audit
 * log (checking both memberships). Refusals come back to the form; success goes to the dashboard.
 */
export const switchDealershipAction = userAction(switchSchema, async ({ dealershipId }, ctx) => {
  const target = ctx.memberships.find((m) => m.dealershipId === dealershipId);
  if (!target) throw new AppError("forbidden", "You are not a member of that dealership.");
  if (target.dealershipId !== ctx.active.dealershipId) {
    await withUser(ctx.claims, target.dealershipId, (scope) => recordDealershipSwitch(scope, ctx.active.dealershipId));
  }
  (await cookies()).set(ACTIVE_DEALERSHIP_COOKIE, dealershipId, activeDealershipCookieOptions);
  redirect("/dashboard");
});

const reauthSchema = z.object({
  password: z.string().max(200).optional(),
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, "Enter the 6-digit code.")
    .optional(),
});

/**
 * Step-up: prove who you are again (the password, or a TOTP code when you have a second factor),
 * good for 5 minutes of this session. Limited like sign-in (password) or per user (codes).
 */
export const reauthenticateAction = accountAction(reauthSchema, async ({ password, code }, account) => {
  if (account.security.mfaEnrolled) {
    if (!code) throw new AppError("invalid_input", "Enter the 6-digit code.", { code: ["Enter the 6-digit code."] });
    const supabase = await createSupabaseServerClient();
    const factorId = await verifiedTotpFactorId(supabase);
    if (!factorId) throw new AppError("conflict", "Two-factor authentication is not set up.");
    await verifyTotpCode(supabase, account.claims.sub, factorId, code);
    await recordReauthentication(account.claims, "totp");
    await recordSessionEvent(account.claims, { action: "auth.reauthenticated", method: "totp" });
    return { method: "totp" as const };
  }
  if (!password) throw new AppError("invalid_input", "Enter your password.", { password: ["Enter your password."] });
  await confirmPassword(account.claims.email ?? "", password, clientAddress(await headers()));
  await recordReauthentication(account.claims, "password");
  await recordSessionEvent(account.claims, { action: "auth.reauthenticated", method: "password" });
  return { method: "password" as const };
});
