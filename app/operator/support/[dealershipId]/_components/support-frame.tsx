import Link from "next/link";
import { formatUtcTimestamp } from "@/lib/format/timestamp";

const SECTIONS = [
  { page: "", label: "Overview" },
  { page: "/leads", label: "Leads" },
  { page: "/campaigns", label: "Campaigns" },
] as const;

/** The frame of every support page: whose data this is, that it is read-only and audited, and when it ends. */
export function SupportFrame({
  dealershipId,
  dealershipName,
  expiresAt,
  title,
  children,
}: {
  dealershipId: string;
  dealershipName: string;
  expiresAt: Date;
  title: string;
  children: React.ReactNode;
}) {
  const base = `/operator/support/${dealershipId}`;
  return (
    <main className="mx-auto max-w-6xl space-y-6 p-8">
      <div
        className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900"
        role="note"
        data-test="support-banner"
      >
        <p>
          Support access to <strong>{dealershipName}</strong>, read-only, until{" "}
          <span data-test="support-expires">{formatUtcTimestamp(expiresAt)} UTC</span>. Every page you open is recorded
          in the dealership&apos;s audit log, which its owners read.
        </p>
      </div>
      <nav aria-label="Support sections" className="flex gap-4 text-sm">
        <Link href="/operator/support" className="text-brand-700 hover:underline">
          ← All support requests
        </Link>
        {SECTIONS.map((s) => (
          <Link
            key={s.label}
            href={`${base}${s.page}`}
            className="text-brand-700 hover:underline"
            data-test={`support-nav-${s.label.toLowerCase()}`}
          >
            {s.label}
          </Link>
        ))}
      </nav>
      <h1 className="text-xl font-semibold">{title}</h1>
      {children}
    </main>
  );
}
