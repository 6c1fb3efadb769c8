"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { ACTIVE_DEALERSHIP_COOKIE, activeDealershipCookieOptions } from "@/lib/auth/cookie-options";
import { newPasswordSchema } from "@/lib/auth/password.schema";
import { createSupabaseServerClient } from "@/lib/auth/supabase-server";
import { AppError } from "@/lib/server/app-error";
import { accountAction, parseOrThrow } from "@/lib/server/user-action";
import { acceptInvitation } from "@/lib/team/invitations";

const acceptSchema = z.object({
  invitationId: z.uuid(),
  password: z.string().optional(),
  confirm: z.string().optional(),
});

/**
 * Join a dealership with an invitation to this account's e-mail (the database checks that it is
 * theirs, open, unexpired and unused). Someone who arrived from the invitation e-mail has no
 * password yet and sets one here first.
 */
export const acceptInvitationAction = accountAction(acceptSchema, async (input, account) => {
  const needsPassword = (account.claims.amr ?? []).some((a) => a.method === "invite");
  if (needsPassword) {
    const { password } = parseOrThrow(newPasswordSchema, {
      password: input.password ?? "",
      confirm: input.confirm ?? "",
    });
    const supabase = await createSupabaseServerClient();
    const { error } = await supabase.auth.updateUser({ password });
    if (error)
      throw new AppError("invalid_input", "That password cannot be used.", {
        password: ["That password cannot be used."],
      });
  }
  const dealershipId = await account.run((session) => acceptInvitation(session, input.invitationId));
  (await cookies()).set(ACTIVE_DEALERSHIP_COOKIE, dealershipId, activeDealershipCookieOptions);
  redirect("/dashboard");
});
