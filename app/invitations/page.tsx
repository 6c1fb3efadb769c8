import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/app/_components/auth-card";
import { withAccount } from "@/lib/db/scope";
import { formatUtcTimestamp } from "@/lib/format/timestamp";
import { getUserState } from "@/lib/server/user-context";
import { listMyInvitations } from "@/lib/team/invitations";
import { AcceptInvitationForm } from "./_components/accept-invitation-form";

export const metadata: Metadata = { title: "Invitations" };

/** The signed-in person's open invitations: join a dealership (setting a password first if new). */
export default async function InvitationsPage() {
  const state = await getUserState();
  if (state.kind === "signed_out") redirect("/login?next=/invitations");
  if (state.kind === "mfa_pending") redirect("/login/mfa?next=/invitations");
  const claims = state.kind === "member" ? state.ctx.claims : state.claims;
  const invitations = await withAccount(claims, listMyInvitations);
  const needsPassword = (claims.amr ?? []).some((a) => a.method === "invite");
  return (
    <AuthCard subtitle={`Signed in as ${claims.email ?? "this account"}.`}>
      {invitations.length === 0 ? (
        <div className="space-y-3 text-sm" data-test="no-invitations">
          <p>There is no open invitation for this account. An invitation works once, for 7 days.</p>
          <Link href="/dashboard" className="text-brand-700 hover:underline">
            Go to the dashboard
          </Link>
        </div>
      ) : (
        <ul className="space-y-6">
          {invitations.map((i) => (
            <li key={i.id} className="space-y-2" data-test="my-invitation">
              <p className="text-sm">
                Join <strong>{i.dealershipName}</strong> as {i.role === "admin" ? "an" : "a"} {i.role}. Open until{" "}
                {formatUtcTimestamp(i.expiresAt)} UTC.
              </p>
              <AcceptInvitationForm invitationId={i.id} needsPassword={needsPassword} />
            </li>
          ))}
        </ul>
      )}
    </AuthCard>
  );
}
