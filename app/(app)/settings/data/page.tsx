import type { Metadata } from "next";
import Link from "next/link";
import { requireUserPage } from "@/lib/server/require-user-page";
import { ExportDownload } from "./_components/export-download";

export const metadata: Metadata = { title: "Your data" };

/** Download all of the dealership's data (owners and admins). */
export default async function DataPage() {
  const ctx = await requireUserPage({ permission: "data.export" });
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
    </section>
  );
}
