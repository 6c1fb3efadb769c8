import type { Metadata } from "next";
import Link from "next/link";
import { formatUtcTimestamp } from "@/lib/format/timestamp";
import { listDealershipOverview } from "@/lib/platform/operator-console";
import { requireOperatorPage } from "@/lib/server/require-operator-page";
import { listMySupportRequests } from "@/lib/support/support-access";
import { SUPPORT_STATUS_LABELS } from "@/lib/support/support-access.schema";
import { EndAccessButton } from "./_components/end-access-button";
import { RequestAccessForm } from "./_components/request-access-form";

export const metadata: Metadata = { title: "Support access" };

/** An operator's support requests: ask a dealership for access, open a granted one, end it early. */
export default async function SupportRequestsPage() {
  const { claims } = await requireOperatorPage("platform.support.request");
  const [dealerships, requests] = await Promise.all([listDealershipOverview(claims), listMySupportRequests(claims)]);
  return (
    <main className="mx-auto max-w-6xl space-y-8 p-8">
      <div>
        <p className="text-sm">
          <Link href="/operator" className="text-brand-700 hover:underline">
            ← Operator console
          </Link>
        </p>
        <h1 className="mt-2 text-xl font-semibold">Support access</h1>
        <p className="mt-1 max-w-3xl text-slate-600">
          To see a dealership&apos;s leads, conversations or campaigns, ask its owner. They choose how long (one hour
          unless they pick otherwise, at most a day) and can end it at any time. Access is read-only, and every page you
          open is recorded in the dealership&apos;s audit log.
        </p>
      </div>
      <RequestAccessForm dealerships={dealerships.map((d) => ({ id: d.id, name: d.name }))} />
      <table className="w-full text-left text-sm" data-test="support-requests">
        <caption className="sr-only">Your support requests</caption>
        <thead className="border-b border-slate-300">
          <tr>
            <th scope="col" className="py-2 pr-4">
              Dealership
            </th>
            <th scope="col" className="py-2 pr-4">
              Asked
            </th>
            <th scope="col" className="py-2 pr-4">
              Reason
            </th>
            <th scope="col" className="py-2 pr-4">
              Status
            </th>
            <th scope="col" className="py-2 pr-4">
              Access
            </th>
          </tr>
        </thead>
        <tbody>
          {requests.map((r) => (
            <tr key={r.id} className="border-b border-slate-200" data-test="support-request-row">
              <th scope="row" className="py-2 pr-4 font-medium">
                {r.dealershipName}
              </th>
              <td className="py-2 pr-4 whitespace-nowrap">{formatUtcTimestamp(r.requestedAt)} UTC</td>
              <td className="py-2 pr-4">{r.reason}</td>
              <td className="py-2 pr-4" data-test="support-request-status">
                {SUPPORT_STATUS_LABELS[r.status]}
                {r.status === "granted" && r.expiresAt ? ` until ${formatUtcTimestamp(r.expiresAt)} UTC` : ""}
              </td>
              <td className="py-2 pr-4">
                {r.status === "granted" ? (
                  <span className="flex flex-wrap items-center gap-3">
                    <Link
                      href={`/operator/support/${r.dealershipId}`}
                      className="text-brand-700 hover:underline"
                      data-test="support-open"
                    >
                      Open {r.dealershipName}
                    </Link>
                    <EndAccessButton requestId={r.id} dealershipName={r.dealershipName} />
                  </span>
                ) : (
                  "—"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {requests.length === 0 ? <p className="text-slate-600">You have not asked for access yet.</p> : null}
    </main>
  );
}
