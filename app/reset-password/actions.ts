"use server";

import { redirect } from "next/navigation";
import { recordSessionEvent } from "@/lib/audit/account-events";
import { newPasswordSchema } from "@/lib/auth/password.schema";
import { createSupabaseServerClient } from "@/lib/auth/supabase-server";
import { AppError } from "@/lib/server/app-error";
import { recordReauthentication } from "@/lib/server/step-up";
import { accountAction } from "@/lib/server/user-action";

/**
 * Choose a new password in the session the reset link opened. Every other session ends (Auth
 * does so on a password change; we ask it to as well), so whoever knew the old one is out.
 */
export const resetPasswordAction = accountAction(newPasswordSchema, async ({ password }, account) => {
  const supabase = await createSupabaseServerClient();
  const { error } = await supabase.auth.updateUser({ password });
  if (error) {
    throw new AppError("invalid_input", "That password cannot be used.", {
      password: ["That password cannot be used."],
    });
  }
  await supabase.auth.signOut({ scope: "others" });
  await recordReauthentication(account.claims, "password");
  await recordSessionEvent(account.claims, { action: "auth.password_changed" });
  redirect("/dashboard");
});
