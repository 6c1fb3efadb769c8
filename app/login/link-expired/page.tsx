import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/app/_components/auth-card";

export const metadata: Metadata = { title: "Link expired" };

/** Where an e-mail link that was already used, or is too old, lands. */
export default function LinkExpiredPage() {
  return (
    <AuthCard subtitle="This link has expired or was already used.">
      <p className="text-sm text-slate-700" data-test="link-expired">
        E-mail links work once, for 24 hours. Ask for a new password-reset link, or ask whoever invited you to send the
        invitation again.
      </p>
      <p className="mt-4 flex gap-4 text-sm">
        <Link href="/login/forgot" className="text-brand-700 hover:underline">
          Reset your password
        </Link>
        <Link href="/login" className="text-brand-700 hover:underline">
          Sign in
        </Link>
      </p>
    </AuthCard>
  );
}
