import Link from "next/link";

/** Shown (with status 403) when a page's permission check fails in requireUserPage. */
export default function Forbidden() {
  return (
    <main className="mx-auto max-w-md p-8" data-test="forbidden">
      <h1 className="text-xl font-semibold">Not available to your role</h1>
      <p className="mt-2 text-slate-600">
        Your role in this dealership does not include this page. Ask an owner or admin if you need it.
      </p>
      <Link href="/dashboard" className="mt-4 inline-block text-brand-700 hover:underline">
        Back to the dashboard
      </Link>
    </main>
  );
}
