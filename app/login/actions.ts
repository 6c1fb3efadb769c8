"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { signInSchema } from "@/lib/auth/sign-in.schema";
import { createSupabaseServerClient } from "@/lib/auth/supabase-server";
import { clientIp, enforceRateLimit } from "@/lib/rate-limit/rate-limit";
import { toAppError } from "@/lib/server/app-error";

export interface SignInState {
  error?: string;
  email?: string;
}

/** Password sign-in (rate limited per IP and e-mail); on success, go to a same-origin `next`. */
export async function signInAction(_prev: SignInState, formData: FormData): Promise<SignInState> {
  const parsed = signInSchema.safeParse({
    email: formData.get("email"),
    password: formData.get("password"),
    next: formData.get("next") ?? undefined,
  });
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Check the form." };
  const { email, password, next } = parsed.data;
  try {
    const ip = clientIp(await headers());
    await enforceRateLimit("auth", `${ip}|${email}`);
    const supabase = await createSupabaseServerClient();
    const { error } = await supabase.auth.signInWithPassword({ email, password });
    if (error) return { error: "Invalid e-mail or password.", email };
  } catch (err) {
    return { error: toAppError(err).message, email };
  }
  redirect(safeNextPath(next));
}

/** Sign out this session (its refresh tokens are revoked by the Auth server) and clear cookies. */
export async function signOutAction(): Promise<void> {
  const supabase = await createSupabaseServerClient();
  await supabase.auth.signOut({ scope: "local" });
  redirect("/login");
}
