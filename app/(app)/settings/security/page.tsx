import type { Metadata } from "next";
import Link from "next/link";
import { listMySessions } from "@/lib/auth/sessions";
import { withAccount } from "@/lib/db/scope";
import { formatUtcTimestamp } from "@/lib/format/timestamp";
import { requireUserPage } from "@/lib/server/require-user-page";
import { TotpSetup } from "@/app/_components/totp-setup";
import { ChangePasswordForm } from "./_components/change-password-form";
import { RequireMfaForm } from "./_components/require-mfa-form";
import { RevokeSessionButton } from "./_components/revoke-session-button";
import { signOutEverywhereAction } from "./actions";

export const metadata: Metadata = { title: "Security" };

/** Two-factor authentication, the dealership's MFA requirement, the password and the user's sessions. */
export default async function SecurityPage() {
  // Reachable before a required second factor is set up: this is where it is set up.
  const ctx = await requireUserPage({ allowWithoutMfa: true });
  const mfa = ctx.security.mfaEnrolled;
  const sessions = await withAccount(ctx.claims, listMySessions);
  return (
    <section className="max-w-3xl space-y-8">
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">Security</h1>
        <Link href="/settings" className="text-sm text-brand-700 hover:underline">
          ← Settings
        </Link>
      </div>

      {ctx.mfaSetupRequired ? (
        <p
          role="status"
          className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900"
          data-test="mfa-required-note"
        >
          {ctx.active.dealershipName} requires two-factor authentication. Set it up below to continue.
        </p>
      ) : null}

      <div className="space-y-3 rounded-lg bg-white p-6 shadow-sm" data-test="two-factor">
        <h2 className="font-semibold">Two-factor authentication</h2>
        <p className="text-sm text-slate-600">
          With an authenticator app (Google Authenticator, 1Password, Authy…), signing in asks for a 6-digit code after
          the password, and sensitive changes ask for a fresh code.
        </p>
        <TotpSetup enrolled={mfa} />
      </div>

      {ctx.can("dealership.require_mfa") ? (
        <div className="space-y-3 rounded-lg bg-white p-6 shadow-sm" data-test="require-mfa">
          <h2 className="font-semibold">Require two-factor authentication at {ctx.active.dealershipName}</h2>
          <p className="text-sm text-slate-600">
            When required, every member must set up an authenticator app before using the dealership.
          </p>
          <RequireMfaForm required={ctx.active.requireMfa} mfa={mfa} />
        </div>
      ) : null}

      <div className="space-y-3 rounded-lg bg-white p-6 shadow-sm" data-test="password">
        <h2 className="font-semibold">Password</h2>
        <p className="text-sm text-slate-600">Changing it signs you out on every other device.</p>
        <ChangePasswordForm mfa={mfa} />
      </div>

      <div className="space-y-3 rounded-lg bg-white p-6 shadow-sm" data-test="sessions">
        <h2 className="font-semibold">Where you are signed in</h2>
        <table className="w-full text-left text-sm">
          <thead className="text-slate-600">
            <tr>
              <th className="py-1 font-medium">Device</th>
              <th className="py-1 font-medium">Signed in (UTC)</th>
              <th className="py-1 font-medium">Last active (UTC)</th>
              <th className="py-1 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id} className="border-t border-slate-100" data-test="session-row">
                <td className="py-1">
                  {s.device}
                  {s.twoFactor ? <span className="text-slate-600"> · two-factor</span> : null}
                </td>
                <td className="py-1">{formatUtcTimestamp(s.createdAt)}</td>
                <td className="py-1">{formatUtcTimestamp(s.lastSeenAt)}</td>
                <td className="py-1 text-right">
                  {s.current ? (
                    <span className="text-slate-600" data-test="session-current">
                      This device
                    </span>
                  ) : (
                    <RevokeSessionButton sessionId={s.id} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form action={signOutEverywhereAction}>
          <button
            type="submit"
            className="rounded-md border border-red-300 px-3 py-1.5 text-sm text-red-800 hover:bg-red-50"
            data-test="sign-out-everywhere"
          >
            Sign out everywhere
          </button>
        </form>
      </div>
    </section>
  );
}
