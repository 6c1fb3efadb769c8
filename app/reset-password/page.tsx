import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/app/_components/auth-card";
import { getUserState } from "@/lib/server/user-context";
import { ResetPasswordForm } from "./_components/reset-password-form";

export const metadata: Metadata = { title: "Choose a new password" };

/** Reached from a password-reset e-mail (signed in by the link), or by anyone signed in. */
export default async function ResetPasswordPage() {
  const state = await getUserState();
  if (state.kind === "signed_out") redirect("/login/forgot");
  // With a second factor, Auth lets the password change only after the code (aal2).
  if (state.kind === "mfa_pending") redirect("/login/mfa?next=/reset-password");
  const email = state.kind === "member" ? state.ctx.claims.email : state.claims.email;
  return (
    <AuthCard subtitle={`Choose a new password for ${email ?? "your account"}.`}>
      <ResetPasswordForm />
    </AuthCard>
  );
}
