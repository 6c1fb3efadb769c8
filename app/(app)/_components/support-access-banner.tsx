import Link from "next/link";

/** Tells owners that a platform operator asks for access, or has it now (with the way to end it). */
export function SupportAccessBanner({ pending, live }: { pending: number; live: number }) {
  if (pending === 0 && live === 0) return null;
  return (
    <div
      role="status"
      className="mb-6 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
      data-test="support-access-banner"
    >
      {live > 0
        ? "A platform operator can read this dealership's data now (read-only, every page audited). "
        : "A platform operator asks for access to this dealership's data. "}
      <Link href="/settings/support" className="font-medium underline">
        {live > 0 ? "See or end it" : "Answer the request"}
      </Link>
    </div>
  );
}
