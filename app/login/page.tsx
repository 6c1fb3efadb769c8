import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { getUserState } from "@/lib/server/user-context";
import { LoginForm } from "./_components/login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const raw = (await searchParams).next;
  const next = safeNextPath(typeof raw === "string" ? raw : undefined);
  const state = await getUserState();
  if (state.kind === "mfa_pending") redirect(`/login/mfa?next=${encodeURIComponent(next)}`);
  if (state.kind !== "signed_out") redirect(next);
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl bg-white p-8 shadow">
        <h1 className="mb-1 text-2xl font-bold">
          <span className="text-brand-600">Refire</span>Leads
        </h1>
        <p className="mb-6 text-sm text-slate-500">Sign in to your dealership.</p>
        <LoginForm next={next} />
        <p className="mt-4 text-sm">
          <Link href="/login/forgot" className="text-brand-700 hover:underline" data-test="forgot-link">
            Forgot your password?
          </Link>
        </p>
      </div>
    </main>
  );
}
