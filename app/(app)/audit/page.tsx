import type { Metadata } from "next";
import { listAuditEvents } from "@/lib/audit/audit-events";
import { requireUserPage } from "@/lib/server/require-user-page";
import { formatUtcTimestamp } from "@/lib/format/timestamp";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  const ctx = await requireUserPage({ permission: "audit.view" });
  const events = await ctx.run((scope) => listAuditEvents(scope));
  return (
    <section>
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <table className="mt-6 w-full rounded-lg bg-white text-left text-sm shadow-sm" data-test="audit-table">
        <thead className="bg-slate-100 text-slate-600">
          <tr>
            <th className="px-3 py-2">When</th>
            <th className="px-3 py-2">Who</th>
            <th className="px-3 py-2">What</th>
            <th className="px-3 py-2">Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id} className="border-t border-slate-100" data-test="audit-row">
              <td className="px-3 py-2 whitespace-nowrap">{formatUtcTimestamp(e.createdAt, "second")} UTC</td>
              <td className="px-3 py-2">{e.actorEmail ?? "system"}</td>
              <td className="px-3 py-2 font-mono">{e.action}</td>
              <td className="px-3 py-2 font-mono text-xs text-slate-500">{JSON.stringify(e.metadata)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {events.length === 0 ? <p className="mt-4 text-slate-500">Nothing recorded yet.</p> : null}
    </section>
  );
}
