import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { platformRoleOf } from "@/lib/auth/permissions";
import { getUserState } from "@/lib/server/user-context";
import { signOutAction } from "../login/actions";

export const metadata: Metadata = { title: "No dealership yet" };

/** Where a signed-in user who belongs to no dealership lands (requireUserPage sends them here). */
export default async function NoDealershipPage() {
  const state = await getUserState();
  if (state.kind === "signed_out") redirect("/login");
  if (state.kind === "mfa_pending") redirect("/login/mfa");
  if (state.kind === "member") redirect("/dashboard");
  if (state.kind === "closed") redirect("/closed");
  // Platform operators belong to no dealership: their home is the console.
  if (platformRoleOf(state.claims)) redirect("/operator");
  return (
    <main className="mx-auto max-w-md p-8" data-test="no-membership">
      <h1 className="text-xl font-semibold">No dealership yet</h1>
      <p className="mt-2 text-slate-600">
        You are signed in as {state.claims.email ?? "this account"}, but the account is not a member of any dealership.
        Ask your dealership&apos;s owner to invite you.
      </p>
      <p className="mt-2">
        <Link href="/invitations" className="text-brand-700 underline" data-test="see-invitations">
          See your invitations
        </Link>
      </p>
      <form action={signOutAction} className="mt-4">
        <button className="rounded-md bg-slate-800 px-3 py-2 text-white">Sign out</button>
      </form>
    </main>
  );
}
