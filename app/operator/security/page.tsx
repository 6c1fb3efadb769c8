import type { Metadata } from "next";
import Link from "next/link";
import { TotpSetup } from "@/app/_components/totp-setup";
import { signOutAction } from "@/app/login/actions";
import { requireOperatorPage } from "@/lib/server/require-operator-page";

export const metadata: Metadata = { title: "Operator security" };

/**
 * Where a platform operator sets up the second factor that administrative access needs: every
 * other operator page (and the database) refuses a session without it. Once it is on, the session
 * is aal2 and the console opens.
 */
export default async function OperatorSecurityPage() {
  const { claims } = await requireOperatorPage("platform.dealerships.read", { allowWithoutSecondFactor: true });
  const assured = claims.aal === "aal2";
  return (
    <main className="mx-auto max-w-2xl space-y-6 p-8">
      <h1 className="text-xl font-semibold">Two-factor authentication</h1>
      {assured ? (
        <p className="text-slate-600">
          <Link href="/operator" className="text-brand-700 hover:underline" data-test="operator-console-link">
            Open the operator console →
          </Link>
        </p>
      ) : (
        <p
          role="status"
          className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900"
          data-test="operator-mfa-required-note"
        >
          The operator console and support access need a second factor. Set up an authenticator app to continue; signing
          in will then ask for a code after the password.
        </p>
      )}
      <div className="space-y-3 rounded-lg bg-white p-6 shadow-sm" data-test="two-factor">
        <TotpSetup enrolled={assured} removable={false} />
      </div>
      <form action={signOutAction}>
        <button type="submit" className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100">
          Sign out
        </button>
      </form>
    </main>
  );
}
