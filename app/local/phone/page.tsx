import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { isLocalStack } from "@/lib/env/server-env";
import { listLeads } from "@/lib/leads/lead-queries";
import { requireUserPage } from "@/lib/server/require-user-page";
import { listSendingNumbers } from "@/lib/sms/sending-numbers";
import { TestPhone, type TestPhoneLead } from "./_components/test-phone";

export const metadata: Metadata = { title: "Test phone" };

/**
 * A pretend mobile phone for local mode: be one of the demo leads (or any number), read what the
 * dealership texted it, and answer. Outside local mode the page does not exist. It is only for a
 * signed-in member (it reads and writes a dealership's messages; anyone else is sent to sign in)
 * and offers the active dealership's leads and numbers.
 */
export default async function TestPhonePage() {
  if (!isLocalStack()) notFound();
  const ctx = await requireUserPage();
  const data = await ctx.run(async (scope) => ({
    leads: await listLeads(scope, { limit: 200, offset: 0 }),
    numbers: await listSendingNumbers(scope),
  }));
  const leads: TestPhoneLead[] = data.leads
    .filter((l) => l.pii.phone)
    .map((l) => ({
      id: l.id,
      name: [l.pii.firstName, l.pii.lastName].filter(Boolean).join(" ") || "(no name)",
      phone: l.pii.phone!,
    }))
    .sort((a, b) => a.phone.localeCompare(b.phone));
  const dealershipNumbers = data.numbers.flatMap((n) => (n.phoneNumber ? [n.phoneNumber] : []));
  return (
    <main className="mx-auto max-w-xl space-y-4 p-6">
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">Test phone</h1>
        <Link href="/inbox" className="text-sm text-brand-700 hover:underline">
          ← Inbox
        </Link>
      </div>
      <p className="text-sm text-slate-600">
        Local mode only. Texts sent here go through the Twilio emulator, which posts a correctly signed webhook to this
        app&apos;s real inbound route, exactly as Twilio would. Leads and numbers of {ctx.active.dealershipName}.
      </p>
      <TestPhone leads={leads} dealershipNumbers={dealershipNumbers} />
    </main>
  );
}
