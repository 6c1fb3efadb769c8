import type { Metadata } from "next";
import Link from "next/link";
import { MEMBERSHIP_ROLES } from "@/lib/auth/permissions";
import { serverEnv } from "@/lib/env/server-env";
import { formatUtcTimestamp } from "@/lib/format/timestamp";
import { formatPhoneForDisplay } from "@/lib/leads/phone";
import { requireUserPage } from "@/lib/server/require-user-page";
import { listSendingNumbers } from "@/lib/sms/sending-numbers";
import { WEBHOOK_CONNECTION_OVERRIDES } from "@/lib/sms/twilio-signature";
import { listOpenInvitations } from "@/lib/team/invitations";
import { listTeam } from "@/lib/team/members";
import { CLOSURE_GRACE_DAYS } from "@/lib/dealerships/closure";
import { AddSendingNumberForm } from "./_components/add-sending-number-form";
import { CloseDealershipForm } from "./_components/close-dealership-form";
import { InviteMemberForm } from "./_components/invite-member-form";
import { MemberControls } from "./_components/member-controls";
import { RemoveSendingNumberButton } from "./_components/remove-sending-number-button";
import { RevokeInvitationButton } from "./_components/revoke-invitation-button";
import { TransferOwnershipForm } from "./_components/transfer-ownership-form";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const ctx = await requireUserPage();
  const { region } = ctx.active;
  const canManage = ctx.can("sending_numbers.manage");
  const canSeeTeam = ctx.can("team.view");
  const canManageTeam = ctx.can("team.manage");
  const canManageOwners = ctx.can("team.transfer_ownership");
  const mfa = ctx.security.mfaEnrolled;
  const { numbers, team, invitations } = await ctx.run(async (scope) => ({
    numbers: await listSendingNumbers(scope),
    team: canSeeTeam ? await listTeam(scope, canManageTeam) : [],
    invitations: canManageTeam ? await listOpenInvitations(scope) : [],
  }));
  // Admins cannot make owners (the database refuses too), so they are not offered.
  const grantable = MEMBERSHIP_ROLES.filter((r) => r !== "owner" || canManageOwners);
  const me = ctx.claims.sub;
  const origin = new URL(serverEnv().APP_BASE_URL).origin;
  return (
    <section className="max-w-3xl space-y-8">
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">Settings</h1>
        <span className="flex gap-4">
          {ctx.can("support.grant") ? (
            <Link href="/settings/support" className="text-sm text-brand-700 hover:underline" data-test="support-link">
              Support access →
            </Link>
          ) : null}
          {ctx.can("data.export") ? (
            <Link href="/settings/data" className="text-sm text-brand-700 hover:underline" data-test="data-link">
              Your data: export →
            </Link>
          ) : null}
          <Link href="/settings/security" className="text-sm text-brand-700 hover:underline" data-test="security-link">
            Security: two-factor, password, sessions →
          </Link>
        </span>
      </div>
      {ctx.can("dealership.settings") ? (
        <p className="text-sm">
          <Link href="/settings/replies" className="text-brand-700 hover:underline" data-test="settings-replies-link">
            Suggested answers to replies, by intent →
          </Link>
        </p>
      ) : null}

      <div className="space-y-3 rounded-lg bg-white p-6 shadow-sm" data-test="sending-numbers">
        <h2 className="font-semibold">Sending numbers</h2>
        <p className="text-sm text-slate-600">
          Texts go out from these Twilio numbers (or Messaging Services), and replies to them land in this
          dealership&apos;s inbox. A lead gets answers from the number they last wrote to; otherwise from the first one
          listed. Only numbers and Messaging Services of the platform&apos;s Twilio account can be added, and never one
          that another dealership uses.
        </p>
        {numbers.length === 0 ? (
          <p className="text-sm text-amber-800" data-test="sending-numbers-empty">
            No sending number yet: nobody can text from this dealership until{" "}
            {canManage ? "you add" : "an owner or admin adds"} one.
          </p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {numbers.map((n) => (
              <li key={n.id} className="flex items-center justify-between gap-4 py-2" data-test="sending-number-row">
                <span>
                  <span className="font-mono" data-test="sending-number-value">
                    {n.phoneNumber ? formatPhoneForDisplay(n.phoneNumber, region) : n.messagingServiceSid}
                  </span>
                  {n.messagingServiceSid ? <span className="text-slate-500"> (Messaging Service)</span> : null}
                  {n.label ? <span className="text-slate-500"> · {n.label}</span> : null}
                </span>
                {canManage ? <RemoveSendingNumberButton id={n.id} mfa={mfa} /> : null}
              </li>
            ))}
          </ul>
        )}
        {canManage ? (
          <AddSendingNumberForm mfa={mfa} />
        ) : (
          <p className="text-sm text-slate-500">Owners and admins manage the numbers.</p>
        )}
        <div className="rounded-md bg-slate-50 p-3 text-sm text-slate-600" data-test="twilio-credentials-note">
          <p>
            The Twilio account SID and auth token live only in the server&apos;s environment (
            <code>TWILIO_ACCOUNT_SID</code>, <code>TWILIO_AUTH_TOKEN</code>). They are never stored in the database and
            cannot be seen or changed here.
          </p>
          {canManage ? (
            <p className="mt-2">
              At Twilio, point each number&apos;s incoming-message webhook to{" "}
              <code className="break-all" data-test="inbound-webhook-url">
                {origin}/api/twilio/inbound{WEBHOOK_CONNECTION_OVERRIDES}
              </code>{" "}
              (HTTP POST; the part after # asks Twilio to retry if the app is briefly unavailable). Delivery statuses
              come back to <code className="break-all">{origin}/api/twilio/status</code> on their own.
            </p>
          ) : null}
        </div>
      </div>

      {canSeeTeam ? (
        <div className="space-y-4 rounded-lg bg-white p-6 shadow-sm" data-test="team">
          <h2 className="font-semibold">Team</h2>
          <table className="w-full text-left text-sm">
            <thead className="text-slate-600">
              <tr>
                <th className="py-1 font-medium">Name</th>
                <th className="py-1 font-medium">E-mail</th>
                <th className="py-1 font-medium">Role</th>
                {canManageTeam ? <th className="py-1 font-medium">Two-factor</th> : null}
                {canManageTeam ? (
                  <th className="py-1 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {team.map((m) => {
                // Owners are managed only by owners; nobody manages themselves from this table.
                const manageable = canManageTeam && m.userId !== me && (m.role !== "owner" || canManageOwners);
                return (
                  <tr key={m.userId} className="border-t border-slate-100 align-top" data-test="team-row">
                    <td className="py-1">{m.displayName}</td>
                    <td className="py-1" data-test="team-email">
                      {m.email}
                    </td>
                    <td className="py-1" data-test="team-role">
                      {m.role}
                    </td>
                    {canManageTeam ? <td className="py-1">{m.mfaEnrolled ? "on" : "off"}</td> : null}
                    {canManageTeam ? (
                      <td className="py-1">
                        {manageable ? (
                          <MemberControls
                            userId={m.userId}
                            name={m.displayName}
                            role={m.role}
                            roles={grantable}
                            others={team
                              .filter((o) => o.userId !== m.userId)
                              .map((o) => ({ userId: o.userId, name: o.displayName }))}
                            mfa={mfa}
                          />
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="text-xs text-slate-600">
            Reps see and answer only the leads assigned to them. Managers also import and assign leads; admins and
            owners manage the team, numbers and settings; only owners make owners.
          </p>

          {canManageTeam ? (
            <div className="space-y-3 border-t border-slate-100 pt-4" data-test="invitations">
              <h3 className="font-medium">Invite someone</h3>
              <InviteMemberForm roles={grantable} />
              {invitations.length > 0 ? (
                <table className="w-full text-left text-sm">
                  <caption className="py-1 text-left text-slate-600">Open invitations</caption>
                  <thead className="text-slate-600">
                    <tr>
                      <th className="py-1 font-medium">E-mail</th>
                      <th className="py-1 font-medium">Role</th>
                      <th className="py-1 font-medium">Expires (UTC)</th>
                      <th className="py-1 font-medium">
                        <span className="sr-only">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {invitations.map((i) => (
                      <tr key={i.id} className="border-t border-slate-100" data-test="invitation-row">
                        <td className="py-1">{i.email}</td>
                        <td className="py-1">{i.role}</td>
                        <td className="py-1">{formatUtcTimestamp(i.expiresAt)}</td>
                        <td className="py-1 text-right">
                          {i.role !== "owner" || canManageOwners ? (
                            <RevokeInvitationButton invitationId={i.id} />
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
            </div>
          ) : null}

          {canManageOwners ? (
            <div className="border-t border-slate-100 pt-4">
              <TransferOwnershipForm
                members={team.filter((m) => m.userId !== me).map((m) => ({ userId: m.userId, name: m.displayName }))}
                mfa={mfa}
              />
            </div>
          ) : null}
        </div>
      ) : null}

      {ctx.can("dealership.close") ? (
        <div className="space-y-3 rounded-lg border border-red-200 bg-white p-6 shadow-sm" data-test="danger-zone">
          <h2 className="font-semibold text-red-800">Danger zone: close this dealership</h2>
          <p className="text-sm text-slate-600">
            Closing ends everyone&apos;s access to {ctx.active.dealershipName} at once and stops all sending. An owner
            can reopen it within {CLOSURE_GRACE_DAYS} days; after that all of its data (leads, messages, campaigns,
            imports, the team and the audit log) is deleted for good. Only the blind index of each opted-out number is
            kept. Download your data first if you want to keep it. You will be asked to confirm your password (or code).{" "}
            <Link href="/closed" className="text-brand-700 hover:underline">
              Reopen a closed dealership →
            </Link>
          </p>
          <CloseDealershipForm name={ctx.active.dealershipName} mfa={mfa} />
        </div>
      ) : null}
    </section>
  );
}
