import type { Metadata } from "next";
import Link from "next/link";
import { listTeamMembers } from "@/lib/dealerships/team";
import { serverEnv } from "@/lib/env/server-env";
import { formatPhoneForDisplay } from "@/lib/leads/phone";
import { requireUserPage } from "@/lib/server/require-user-page";
import { listSendingNumbers } from "@/lib/sms/sending-numbers";
import { WEBHOOK_CONNECTION_OVERRIDES } from "@/lib/sms/twilio-signature";
import { AddSendingNumberForm } from "./_components/add-sending-number-form";
import { RemoveSendingNumberButton } from "./_components/remove-sending-number-button";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const ctx = await requireUserPage();
  const { region } = ctx.active;
  const canManage = ctx.can("sending_numbers.manage");
  const canSeeTeam = ctx.can("team.view");
  const { numbers, team } = await ctx.run(async (scope) => ({
    numbers: await listSendingNumbers(scope),
    team: canSeeTeam ? await listTeamMembers(scope) : [],
  }));
  const origin = new URL(serverEnv().APP_BASE_URL).origin;
  return (
    <section className="max-w-3xl space-y-8">
      <h1 className="text-2xl font-semibold">Settings</h1>
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
                {canManage ? <RemoveSendingNumberButton id={n.id} /> : null}
              </li>
            ))}
          </ul>
        )}
        {canManage ? (
          <AddSendingNumberForm />
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
        <div className="space-y-3 rounded-lg bg-white p-6 shadow-sm" data-test="team">
          <h2 className="font-semibold">Team</h2>
          <table className="w-full text-left text-sm">
            <thead className="text-slate-500">
              <tr>
                <th className="py-1 font-medium">Name</th>
                <th className="py-1 font-medium">E-mail</th>
                <th className="py-1 font-medium">Role</th>
              </tr>
            </thead>
            <tbody>
              {team.map((m) => (
                <tr key={m.userId} className="border-t border-slate-100" data-test="team-row">
                  <td className="py-1">{m.displayName}</td>
                  <td className="py-1">{m.email}</td>
                  <td className="py-1">{m.role}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="text-xs text-slate-500">
            Reps see and answer only the leads assigned to them. Inviting and removing members comes later.
          </p>
        </div>
      ) : null}
    </section>
  );
}
