"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { recordSessionEvent } from "@/lib/audit/account-events";
import { platformRoleOf } from "@/lib/auth/permissions";
import { removeTotpFactor, startTotpEnrolment, verifiedTotpFactorId, verifyTotpCode } from "@/lib/auth/second-factor";
import { revokeMySession } from "@/lib/auth/sessions";
import { createSupabaseServerClient } from "@/lib/auth/supabase-server";
import { listMyMemberships } from "@/lib/dealerships/memberships";
import { setDealershipRequiresMfa } from "@/lib/team/members";
import { AppError } from "@/lib/server/app-error";
import { recordReauthentication } from "@/lib/server/step-up";
import { accountAction, userAction } from "@/lib/server/user-action";
import { getUserState } from "@/lib/server/user-context";
import { newPasswordSchema } from "@/lib/auth/password.schema";

/** Start setting up an authenticator app (a second-factor change: step-up first). */
export const startTotpEnrolmentAction = accountAction(
  z.object({}),
  async () => startTotpEnrolment(await createSupabaseServerClient()),
  { recentAuth: true },
);

/** Finish the setup with the first code from the app; the session becomes aal2. */
export const confirmTotpEnrolmentAction = accountAction(
  z.object({
    factorId: z.uuid(),
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, "Enter the 6-digit code."),
  }),
  async ({ factorId, code }, account) => {
    await verifyTotpCode(await createSupabaseServerClient(), account.claims.sub, factorId, code);
    await recordReauthentication(account.claims, "totp");
    await recordSessionEvent(account.claims, { action: "auth.second_factor_enabled" });
    revalidatePath("/settings/security");
    return { enrolled: true };
  },
);

/**
 * Turn the second factor off (step-up with a code first); refused where a dealership requires it
 * and for platform operators (administrative access always needs it).
 */
export const removeTotpAction = accountAction(
  z.object({}),
  async (_input, account) => {
    if (platformRoleOf(account.claims)) {
      throw new AppError("conflict", "Platform operators keep two-factor authentication on.");
    }
    const memberships = await account.run(listMyMemberships);
    const requiring = memberships.find((m) => m.requireMfa);
    if (requiring) {
      throw new AppError("conflict", `${requiring.dealershipName} requires two-factor authentication; it stays on.`);
    }
    const supabase = await createSupabaseServerClient();
    const factorId = await verifiedTotpFactorId(supabase);
    if (factorId) {
      await removeTotpFactor(supabase, factorId);
      await recordSessionEvent(account.claims, { action: "auth.second_factor_removed" });
    }
    revalidatePath("/settings/security");
    return { removed: Boolean(factorId) };
  },
  { recentAuth: true },
);

/** Require (or not) a second factor for everyone in the active dealership (owners; step-up). */
export const setRequireMfaAction = userAction(
  z.object({ required: z.enum(["true", "false"]).transform((v) => v === "true") }),
  async ({ required }, ctx) => {
    await ctx.run((scope) => setDealershipRequiresMfa(scope, required));
    revalidatePath("/settings/security");
    return { required };
  },
  { permission: "dealership.require_mfa", recentAuth: true },
);

/**
 * Change the password (step-up first: the current password or a code). Auth ends every other
 * session of the user; we ask it to as well, so no other device stays signed in.
 */
export const changePasswordAction = accountAction(
  newPasswordSchema,
  async ({ password }, account) => {
    const supabase = await createSupabaseServerClient();
    const { error } = await supabase.auth.updateUser({ password });
    if (error)
      throw new AppError(
        "invalid_input",
        error.message.includes("least") ? error.message : "That password cannot be used.",
        { password: ["That password cannot be used."] },
      );
    await supabase.auth.signOut({ scope: "others" });
    await recordSessionEvent(account.claims, { action: "auth.password_changed" });
    revalidatePath("/settings/security");
    return { changed: true };
  },
  { recentAuth: true },
);

/** End one of your other sessions (another device). */
export const revokeSessionAction = accountAction(z.object({ sessionId: z.uuid() }), async ({ sessionId }, account) => {
  const revoked = await account.run((session) => revokeMySession(session, sessionId));
  revalidatePath("/settings/security");
  return { revoked };
});

/** Sign out everywhere: every session of the user ends, this one included. */
export async function signOutEverywhereAction(): Promise<void> {
  const state = await getUserState();
  if (state.kind !== "signed_out") {
    await recordSessionEvent(state.kind === "member" ? state.ctx.claims : state.claims, {
      action: "auth.signed_out",
      scope: "global",
    });
  }
  const supabase = await createSupabaseServerClient();
  await supabase.auth.signOut({ scope: "global" });
  redirect("/login");
}
