import type { Metadata } from "next";
import Link from "next/link";
import { listDoNotContact } from "@/lib/leads/do-not-contact";
import { formatPhoneForDisplay } from "@/lib/leads/phone";
import { requireUserPage } from "@/lib/server/require-user-page";
import { AddNumbersForm } from "./_components/add-numbers-form";
import { RemoveNumberForm } from "./_components/remove-number-form";

export const metadata: Metadata = { title: "Do not contact" };

export default async function DoNotContactPage() {
  const ctx = await requireUserPage();
  const entries = await ctx.run((scope) => listDoNotContact(scope, { limit: 500, offset: 0 }));
  const canRemove = ctx.can("do_not_contact.remove");
  return (
    <section className="max-w-3xl space-y-6">
      <Link href="/leads" className="text-sm text-slate-500 hover:underline">
        ← All leads
      </Link>
      <h1 className="text-2xl font-semibold">Do-not-contact list</h1>
      <p className="text-sm text-slate-600">
        Numbers on this list are never texted: imports report them as suppressed, and every send checks the list again
        just before it goes out.
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
              <td className="px-3 py-2 text-right">{canRemove ? <RemoveNumberForm id={e.id} /> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === 0 ? <p className="text-sm text-slate-500">The list is empty.</p> : null}
    </section>
  );
}
