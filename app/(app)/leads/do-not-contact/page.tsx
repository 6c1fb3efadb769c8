import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { MANAGING_ROLES } from "@/lib/dealerships/memberships";
import { listDoNotContact } from "@/lib/leads/do-not-contact";
import { formatPhoneForDisplay } from "@/lib/leads/phone";
import { getUserContext } from "@/lib/server/user-context";
import { removeDoNotContactAction } from "./actions";
import { AddNumbersForm } from "./_components/add-numbers-form";

export const metadata: Metadata = { title: "Do not contact" };

export default async function DoNotContactPage() {
  const ctx = await getUserContext();
  if (!ctx) redirect("/login");
  const entries = await ctx.run((tx) => listDoNotContact(tx, ctx.active.dealershipId, { limit: 500, offset: 0 }));
  const canRemove = MANAGING_ROLES.includes(ctx.active.role);
  return (
    <section className="max-w-3xl space-y-6">
      <Link href="/leads" className="text-sm text-slate-500 hover:underline">
        ← All leads
      </Link>
      <h1 className="text-2xl font-semibold">Do-not-contact list</h1>
      <p className="text-sm text-slate-600">
        Numbers on this list are never texted: imports report them as suppressed, and every send checks the list again just before it goes out.
      </p>
      <AddNumbersForm />
      <table className="w-full rounded-lg bg-white text-left text-sm shadow-sm" data-test="dnc-table">
        <thead className="bg-slate-100 text-slate-600">
          <tr>
            <th className="px-3 py-2">Number</th>
            <th className="px-3 py-2">Source</th>
            <th className="px-3 py-2">Added</th>
            <th className="px-3 py-2" />
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} className="border-t border-slate-100" data-test="dnc-row">
              <td className="px-3 py-2 font-mono">{formatPhoneForDisplay(e.phone, ctx.active.region)}</td>
              <td className="px-3 py-2">{e.source}</td>
              <td className="px-3 py-2">{e.createdAt.toISOString().slice(0, 10)}</td>
              <td className="px-3 py-2 text-right">
                {canRemove ? (
                  <form action={removeDoNotContactAction}>
                    <input type="hidden" name="id" value={e.id} />
                    <button type="submit" className="text-red-700 hover:underline">Remove</button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === 0 ? <p className="text-sm text-slate-500">The list is empty.</p> : null}
    </section>
  );
}
