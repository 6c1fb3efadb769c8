import { requireUserPage } from "@/lib/server/require-user-page";
import { supportAccessCounts } from "@/lib/support/support-access";
import { signOutAction } from "../login/actions";
import { DealershipSwitcher } from "./_components/dealership-switcher";
import { NavLinks } from "./_components/nav-links";
import { SupportAccessBanner } from "./_components/support-access-banner";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  // The layout also frames the security page, where a required second factor is set up.
  const ctx = await requireUserPage({ allowWithoutMfa: true });
  // Owners learn here that an operator asks for access, or has it (support.grant: owners only).
  const support =
    ctx.can("support.grant") && !ctx.mfaSetupRequired ? await ctx.run((scope) => supportAccessCounts(scope)) : null;
  return (
    <div className="flex min-h-screen">
      <aside className="flex w-60 shrink-0 flex-col gap-6 border-r border-slate-200 bg-white p-4">
        <p className="text-lg font-bold">
          <span className="text-brand-600">Refire</span>Leads
        </p>
        <DealershipSwitcher memberships={ctx.memberships} active={ctx.active} />
        <NavLinks canImport={ctx.can("leads.import")} canReadAudit={ctx.can("audit.view")} />
        <div className="mt-auto space-y-2 text-sm">
          <p className="truncate text-slate-500" data-test="signed-in-as">
            {ctx.claims.email}
          </p>
          <form action={signOutAction}>
            <button
              type="submit"
              data-test="sign-out"
              className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100"
            >
              Sign out
            </button>
          </form>
        </div>
      </aside>
      <main className="flex-1 p-8">
        {support ? <SupportAccessBanner pending={support.pending} live={support.live} /> : null}
        {children}
      </main>
    </div>
  );
}
