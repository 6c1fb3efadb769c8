import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { withAccount } from "@/lib/db/scope";
import { listMyClosedDealerships } from "@/lib/dealerships/closure";
import { ExportDownload } from "@/app/_components/export-download";
import { OutcomeDownload } from "@/app/_components/outcome-download";
import { formatUtcTimestamp } from "@/lib/format/timestamp";
import { getUserState } from "@/lib/server/user-context";
import { signOutAction } from "../login/actions";
import { ContinueToDealershipForm } from "./_components/continue-form";
import { ReopenDealershipForm } from "./_components/reopen-form";

export const metadata: Metadata = { title: "Dealership closed" };

/**
 * Where members of a closed dealership land (requireUserPage sends them here while they work in
 * it): when it was closed and when it is deleted for good; owners download its data or reopen it
 * here within the 30 days; members of other dealerships continue to one of those.
 */
export default async function ClosedDealershipPage() {
  const state = await getUserState();
  if (state.kind === "signed_out") redirect("/login");
  if (state.kind === "mfa_pending") redirect("/login/mfa");
  const claims = state.kind === "member" ? state.ctx.claims : state.claims;
  const closed = state.kind === "closed" ? state.closed : await withAccount(claims, listMyClosedDealerships);
  if (closed.length === 0) redirect(state.kind === "member" ? "/dashboard" : "/no-dealership");
  const mfa = state.kind === "member" ? state.ctx.security.mfaEnrolled : state.security.mfaEnrolled;
  const others = state.kind === "member" ? state.ctx.memberships : state.kind === "closed" ? state.memberships : [];
  const now = new Date();
  return (
    <main className="mx-auto max-w-xl space-y-6 p-8" data-test="closed-dealerships">
      <h1 className="text-xl font-semibold">{closed.length === 1 ? "Dealership closed" : "Dealerships closed"}</h1>
      <ul className="space-y-4">
        {closed.map((c) => (
          <li
            key={c.dealershipId}
            className="space-y-3 rounded-lg bg-white p-6 shadow-sm"
            data-test="closed-dealership"
          >
            <p>
              <strong>{c.name}</strong> was closed on {formatUtcTimestamp(c.closedAt)} UTC and{" "}
              {c.purgeAfter > now ? (
                <>will be deleted on {formatUtcTimestamp(c.purgeAfter)} UTC.</>
              ) : (
                <>is being deleted.</>
              )}{" "}
              Until then nobody can work in it, and it sends no messages.
            </p>
            {c.purgeAfter <= now ? null : c.canReopen ? (
              <>
                <ReopenDealershipForm dealershipId={c.dealershipId} name={c.name} mfa={mfa} />
                <div className="space-y-3 border-t border-slate-200 pt-3" data-test="closed-export">
                  <h2 className="font-semibold">Download its data</h2>
                  <p className="text-sm text-slate-600">
                    The same export as Settings → Your data, without reopening it: one ZIP with a file per table. You
                    will be asked to confirm your password (or code), and the download is recorded in its audit log.
                  </p>
                  <ExportDownload mfa={mfa} endpoint="/api/closed/export" body={{ dealershipId: c.dealershipId }} />
                  <h3 className="pt-2 text-sm font-semibold">Outcomes for your CRM</h3>
                  <OutcomeDownload
                    mfa={mfa}
                    mappings={null}
                    endpoint="/api/closed/export/outcomes"
                    body={{ dealershipId: c.dealershipId }}
                  />
                </div>
              </>
            ) : (
              <p className="text-sm text-slate-600">Only an owner of {c.name} can reopen it before then.</p>
            )}
          </li>
        ))}
      </ul>
      {others.length > 0 ? (
        <div className="space-y-2" data-test="other-dealerships">
          <p className="text-sm text-slate-600">You also work in:</p>
          {others.map((m) => (
            <ContinueToDealershipForm key={m.dealershipId} dealershipId={m.dealershipId} name={m.dealershipName} />
          ))}
        </div>
      ) : null}
      <div className="flex items-center gap-4 text-sm">
        <Link href="/invitations" className="text-brand-700 underline">
          See your invitations
        </Link>
        <form action={signOutAction}>
          <button className="rounded-md bg-slate-800 px-3 py-2 text-white">Sign out</button>
        </form>
      </div>
    </main>
  );
}
