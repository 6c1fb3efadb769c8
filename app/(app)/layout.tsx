import { redirect } from "next/navigation";
import { getUserContext, getVerifiedClaims } from "@/lib/server/user-context";
import { signOutAction } from "../login/actions";
import { DealershipSwitcher } from "./_components/dealership-switcher";
import { NavLinks } from "./_components/nav-links";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const ctx = await getUserContext();
  if (!ctx) {
    if (!(await getVerifiedClaims())) redirect("/login");
    return (
      <main className="mx-auto max-w-md p-8" data-test="no-membership">
        <h1 className="text-xl font-semibold">No dealership yet</h1>
        <p className="mt-2 text-slate-600">Your account is not a member of any dealership. Ask your dealership&apos;s owner to invite you.</p>
        <form action={signOutAction} className="mt-4">
          <button className="rounded-md bg-slate-800 px-3 py-2 text-white">Sign out</button>
        </form>
      </main>
    );
  }
  return (
    <div className="flex min-h-screen">
      <aside className="flex w-60 shrink-0 flex-col gap-6 border-r border-slate-200 bg-white p-4">
        <p className="text-lg font-bold">
          <span className="text-brand-600">Refire</span>Leads
        </p>
        <DealershipSwitcher memberships={ctx.memberships} active={ctx.active} />
        <NavLinks />
        <div className="mt-auto space-y-2 text-sm">
          <p className="truncate text-slate-500" data-test="signed-in-as">
            {ctx.claims.email}
          </p>
          <form action={signOutAction}>
            <button type="submit" data-test="sign-out" className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100">
              Sign out
            </button>
          </form>
        </div>
      </aside>
      <main className="flex-1 p-8">{children}</main>
    </div>
  );
}
