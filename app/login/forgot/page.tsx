import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/app/_components/auth-card";
import { ForgotPasswordForm } from "./_components/forgot-password-form";

export const metadata: Metadata = { title: "Reset your password" };

/** Ask for a password-reset link (Supabase Auth's recovery e-mail). */
export default function ForgotPasswordPage() {
  return (
    <AuthCard subtitle="We will e-mail you a link to choose a new password.">
      <ForgotPasswordForm />
      <p className="mt-4 text-sm">
        <Link href="/login" className="text-brand-700 hover:underline">
          Back to sign-in
        </Link>
      </p>
    </AuthCard>
  );
}
