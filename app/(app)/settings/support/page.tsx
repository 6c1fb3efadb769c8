import type { Metadata } from "next";
import Link from "next/link";
import { formatUtcTimestamp } from "@/lib/format/timestamp";
import { requireUserPage } from "@/lib/server/require-user-page";
import { listDealershipSupportRequests } from "@/lib/support/support-access";
import { SUPPORT_STATUS_LABELS } from "@/lib/support/support-access.schema";
import { GrantAccessForm } from "./_components/grant-access-form";
import { SupportDecisionButton } from "./_components/support-decision-button";

export const metadata: Metadata = { title: "Support access" };

/** Owners answer the platform's support requests: grant for a while, deny, or end early. */
export default async function SupportAccessPage() {
  const ctx = await requireUserPage({ permission: "support.grant" });
  const requests = await ctx.run((scope) => listDealershipSupportRequests(scope));
  return (
    <section className="max-w-4xl space-y-6" data-test="support-access">
      <p className="text-sm">
        <Link href="/settings" className="text-brand-700 hover:underline">
          ← Settings
        </Link>
      </p>
      <h1 className="text-2xl font-semibold">Support access</h1>
      <p className="text-sm text-slate-600">
        The platform&apos;s operators see none of your leads, conversations or campaigns unless you let them. When one
        asks, you choose how long they may look (read-only; they can change nothing), and you can end it at any time.
        Each page they open is recorded in your{" "}
        <Link href="/audit" className="text-brand-700 underline">
          audit log
        </Link>{" "}
        as <code>support.page_viewed</code>. Granting asks for your password or code first.
      </p>
      <table className="w-full rounded-lg bg-white text-left text-sm shadow-sm" data-test="support-requests">
        <caption className="sr-only">Support access requests</caption>
        <thead className="bg-slate-100 text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2">
              Operator
            </th>
            <th scope="col" className="px-3 py-2">
              Asked
            </th>
            <th scope="col" className="px-3 py-2">
              Reason
            </th>
            <th scope="col" className="px-3 py-2">
              Status
            </th>
            <th scope="col" className="px-3 py-2">
              Your answer
            </th>
          </tr>
        </thead>
        <tbody>
          {requests.map((r) => (
            <tr key={r.id} className="border-t border-slate-100 align-top" data-test="support-request-row">
              <td className="px-3 py-2">{r.operatorEmail ?? "a former operator"}</td>
              <td className="px-3 py-2 whitespace-nowrap">{formatUtcTimestamp(r.requestedAt)} UTC</td>
              <td className="px-3 py-2">{r.reason}</td>
              <td className="px-3 py-2" data-test="support-request-status">
                {SUPPORT_STATUS_LABELS[r.status]}
                {r.status === "granted" && r.expiresAt ? ` until ${formatUtcTimestamp(r.expiresAt)} UTC` : ""}
              </td>
              <td className="space-y-2 px-3 py-2">
                {r.status === "pending" ? (
                  <>
                    <GrantAccessForm requestId={r.id} mfa={ctx.security.mfaEnrolled} />
                    <SupportDecisionButton requestId={r.id} kind="deny" />
                  </>
                ) : r.status === "granted" ? (
                  <SupportDecisionButton requestId={r.id} kind="revoke" />
                ) : (
                  "—"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {requests.length === 0 ? (
        <p className="text-slate-600" data-test="support-requests-empty">
          No operator has asked for access.
        </p>
      ) : null}
    </section>
  );
}
