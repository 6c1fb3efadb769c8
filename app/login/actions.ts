"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { signInWithLimits } from "@/lib/auth/sign-in";
import { signInSchema } from "@/lib/auth/sign-in.schema";
import { createSupabaseServerClient } from "@/lib/auth/supabase-server";
import { clientAddress } from "@/lib/rate-limit/rate-limit";
import { AppError } from "@/lib/server/app-error";
import { publicAction } from "@/lib/server/user-action";

/**
 * Password sign-in (limited per e-mail and per client address); on success, go to a same-origin
 * `next`. Every failure (wrong e-mail or password, limited) gets the same message.
 */
export const signInAction = publicAction(signInSchema, async ({ email, password, next }) => {
  const supabase = await createSupabaseServerClient();
  const result = await signInWithLimits(
    { email, password, clientAddress: clientAddress(await headers()) },
    async (e, p) => {
      const { error } = await supabase.auth.signInWithPassword({ email: e, password: p });
      // The Auth server being down is not a wrong password: say so, and count nothing as success.
      if (error && ((error.status ?? 0) >= 500 || error.name === "AuthRetryableFetchError"))
        throw new AppError("internal", "Sign-in is unavailable right now. Please try again.");
      return !error;
    },
  );
  if (!result.ok) throw new AppError("unauthenticated", result.message);
  redirect(safeNextPath(next));
});

/** Sign out this session (the Auth server deletes it, which ends its access tokens too) and clear cookies. */
export async function signOutAction(): Promise<void> {
  const supabase = await createSupabaseServerClient();
  await supabase.auth.signOut({ scope: "local" });
  redirect("/login");
}
