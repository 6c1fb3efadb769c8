import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { getUserState } from "@/lib/server/user-context";
import { signOutAction } from "../actions";
import { AuthCard } from "@/app/_components/auth-card";
import { MfaCodeForm } from "./_components/mfa-code-form";

export const metadata: Metadata = { title: "Two-factor sign-in" };

/** The second step of signing in for an account with a second factor: a code from the app. */
export default async function MfaPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const raw = (await searchParams).next;
  const next = safeNextPath(typeof raw === "string" ? raw : undefined);
  const state = await getUserState();
  if (state.kind === "signed_out") redirect("/login");
  if (state.kind !== "mfa_pending") redirect(next);
  return (
    <AuthCard subtitle="Enter the 6-digit code from your authenticator app.">
      <MfaCodeForm next={next} />
      <form action={signOutAction} className="mt-4">
        <button type="submit" className="text-sm text-slate-600 underline">
          Sign in as someone else
        </button>
      </form>
    </AuthCard>
  );
}
