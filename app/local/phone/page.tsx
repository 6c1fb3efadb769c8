import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { isLocalStack } from "@/lib/env/server-env";
import { listLeads } from "@/lib/leads/lead-queries";
import { getUserContext } from "@/lib/server/user-context";
import { listSendingNumbers } from "@/lib/sms/sending-numbers";
import { TestPhone, type TestPhoneLead } from "./_components/test-phone";

export const metadata: Metadata = { title: "Test phone" };

/**
 * A pretend mobile phone for local mode: be one of the demo leads (or any number), read what the
 * dealership texted it, and answer. Outside local mode the page does not exist. It works only
 * for a signed-in member (it reads and writes a dealership's messages) and offers the active
 * dealership's leads and numbers.
 */
export default async function TestPhonePage() {
  if (!isLocalStack()) notFound();
  const ctx = await getUserContext();
  const data = ctx
    ? await ctx.run(async (tx) => ({
        leads: await listLeads(tx, ctx.active.dealershipId, { limit: 200, offset: 0 }),
        numbers: await listSendingNumbers(tx, ctx.active.dealershipId),
      }))
    : null;
  const leads: TestPhoneLead[] = (data?.leads ?? [])
    .filter((l) => l.pii.phone)
    .map((l) => ({ id: l.id, name: [l.pii.firstName, l.pii.lastName].filter(Boolean).join(" ") || "(no name)", phone: l.pii.phone! }))
    .sort((a, b) => a.phone.localeCompare(b.phone));
  const dealershipNumbers = (data?.numbers ?? []).flatMap((n) => (n.phoneNumber ? [n.phoneNumber] : []));
  return (
    <main className="mx-auto max-w-xl space-y-4 p-6">
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">Test phone</h1>
        {ctx ? (
          <Link href="/inbox" className="text-sm text-brand-700 hover:underline">
            ← Inbox
          </Link>
        ) : (
          <Link href="/login?next=/local/phone" className="text-sm text-brand-700 hover:underline" data-test="phone-sign-in">
            Sign in to use the test phone
          </Link>
        )}
      </div>
      <p className="text-sm text-slate-600">
        Local mode only. Texts sent here go through the Twilio emulator, which posts a correctly signed webhook to this app&apos;s
        real inbound route, exactly as Twilio would.
        {ctx ? ` Leads and numbers of ${ctx.active.dealershipName}.` : ""}
      </p>
      {ctx ? <TestPhone leads={leads} dealershipNumbers={dealershipNumbers} /> : null}
    </main>
  );
}
