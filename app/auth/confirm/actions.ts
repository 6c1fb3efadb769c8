"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { createSupabaseServerClient } from "@/lib/auth/supabase-server";
import { publicAction } from "@/lib/server/user-action";

const confirmSchema = z.object({
  tokenHash: z.string().regex(/^[0-9a-f]{16,128}$/i),
  type: z.enum(["invite", "recovery"]),
});

/**
 * Redeem an e-mail link (Supabase Auth verifyOtp with the token hash; it works once) and go on:
 * an invitation to /invitations (set a password, join), a reset to /reset-password.
 */
export const confirmEmailLinkAction = publicAction(confirmSchema, async ({ tokenHash, type }) => {
  const supabase = await createSupabaseServerClient();
  const { error } = await supabase.auth.verifyOtp({ token_hash: tokenHash, type });
  if (error) redirect("/login/link-expired");
  redirect(type === "invite" ? "/invitations" : "/reset-password");
});
