import type { Metadata } from "next";
import Link from "next/link";
import { listDealershipOverview } from "@/lib/platform/operator-console";
import { requireOperatorPage } from "@/lib/server/require-operator-page";
import { SendingNumberControls } from "./_components/sending-number-controls";
import { StatusButtons } from "./_components/status-buttons";

export const metadata: Metadata = { title: "Operator console" };

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The platform operators' console: every dealership's status and aggregates (no personal data). */
export default async function OperatorPage() {
  const { claims } = await requireOperatorPage();
  const dealerships = await listDealershipOverview(claims);
  return (
    <main className="mx-auto max-w-6xl p-8">
      <h1 className="text-xl font-semibold">Operator console</h1>
      <p className="mt-1 text-slate-600">
        Dealerships on the platform, with aggregates over the last 30 days. No lead, message or member details are shown
        here.
      </p>
      <p className="mt-2 text-sm">
        <Link href="/operator/support" className="text-brand-700 hover:underline" data-test="operator-support-link">
          Support access: ask a dealership&apos;s owner for time-limited, audited access →
        </Link>
      </p>
      <div className="mt-6 overflow-x-auto">
        <table className="min-w-full text-left text-sm" data-test="operator-dealerships">
          <caption className="sr-only">Dealerships</caption>
          <thead className="border-b border-slate-300">
            <tr>
              <th scope="col" className="py-2 pr-4">
                Dealership
              </th>
              <th scope="col" className="py-2 pr-4">
                Status
              </th>
              <th scope="col" className="py-2 pr-4">
                Members
              </th>
              <th scope="col" className="py-2 pr-4">
                Leads
              </th>
              <th scope="col" className="py-2 pr-4">
                Sending numbers
              </th>
              <th scope="col" className="py-2 pr-4">
                Texts (30 days)
              </th>
              <th scope="col" className="py-2 pr-4">
                Campaign texts (30 days)
              </th>
              <th scope="col" className="py-2 pr-4">
                Failure rate
              </th>
              <th scope="col" className="py-2 pr-4">
                Opt-out rate
              </th>
              <th scope="col" className="py-2 pr-4">
                Actions
              </th>
            </tr>
          </thead>
          <tbody>
            {dealerships.map((d) => (
              <tr key={d.id} className="border-b border-slate-200" data-test="operator-dealership">
                <th scope="row" className="py-2 pr-4 font-medium">
                  {d.name}
                </th>
                <td className="py-2 pr-4" data-test="operator-status">
                  {d.status}
                  {d.closure && (
                    <span className="block text-xs text-red-800" data-test="operator-closed">
                      closed {d.closure.closedAt.toISOString().slice(0, 10)}, purged after{" "}
                      {d.closure.purgeAfter.toISOString().slice(0, 10)}
                    </span>
                  )}
                </td>
                <td className="py-2 pr-4">{d.members}</td>
                <td className="py-2 pr-4">{d.leads}</td>
                <td className="py-2 pr-4">
                  <SendingNumberControls dealershipId={d.id} name={d.name} numbers={d.sendingNumbers} />
                </td>
                <td className="py-2 pr-4">{d.outbound30d}</td>
                <td className="py-2 pr-4">{d.campaignMessages30d}</td>
                <td className="py-2 pr-4">{percent(d.failureRate)}</td>
                <td className="py-2 pr-4">{percent(d.optOutRate)}</td>
                <td className="py-2 pr-4">
                  <StatusButtons dealershipId={d.id} name={d.name} status={d.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </main>
  );
}
