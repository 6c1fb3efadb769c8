import type { Metadata } from "next";
import Link from "next/link";
import { requireUserPage } from "@/lib/server/require-user-page";
import { listSavedMappings } from "@/lib/export/outcome-export";
import { formatUtcTimestamp } from "@/lib/format/timestamp";
import { ExportDownload } from "@/app/_components/export-download";
import { OutcomeDownload } from "@/app/_components/outcome-download";

export const metadata: Metadata = { title: "Your data" };

/** Download all of the dealership's data (owners and admins). */
export default async function DataPage() {
  const ctx = await requireUserPage({ permission: "data.export" });
  const mappings = await ctx.run(listSavedMappings);
  return (
    <section className="max-w-3xl space-y-8">
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">Your data</h1>
        <Link href="/settings" className="text-sm text-brand-700 hover:underline">
          ← Settings
        </Link>
      </div>
      <div className="space-y-3 rounded-lg bg-white p-6 shadow-sm" data-test="data-export">
        <h2 className="font-semibold">Export everything</h2>
        <p className="text-sm text-slate-600">
          One ZIP file with a file per table: leads, conversations and messages, campaigns and their recipients, consent
          history, the do-not-contact list, imports, the team and the audit log. Personal data is decrypted for you. You
          will be asked to confirm your password (or code) first, and the export is recorded in the audit log.
        </p>
        <ExportDownload mfa={ctx.security.mfaEnrolled} />
      </div>
      <div className="space-y-3 rounded-lg bg-white p-6 shadow-sm" data-test="outcome-export">
        <h2 className="font-semibold">Send outcomes back to your CRM</h2>
        <p className="text-sm text-slate-600">
          One CSV of your leads with what became of them: status, last reply and when, opted out, do not contact, wrong
          number, appointment, follow-up, assigned rep and the last campaign that reached them. Name, phone, e-mail and
          vehicle columns carry your CRM&apos;s own column names from a saved import mapping, so you can import the file
          back into the CRM. Confirming your password (or code) is needed here too, and the download is recorded in the
          audit log.
        </p>
        <OutcomeDownload
          mfa={ctx.security.mfaEnrolled}
          mappings={mappings.map((m, i) => ({
            id: m.id,
            label: `${i === 0 ? "Newest: " : ""}saved ${formatUtcTimestamp(m.updatedAt)} UTC (${m.headers.slice(0, 4).join(", ")}${m.headers.length > 4 ? ", …" : ""})`,
          }))}
        />
      </div>
    </section>
  );
}
