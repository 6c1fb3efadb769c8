/**
 * The signed-in user's memberships and the choice of the active dealership.
 */
import type { UserTx } from "@/lib/db/with-user";

export type MembershipRole = "owner" | "admin" | "manager" | "rep";

export interface Membership {
  dealershipId: string;
  dealershipName: string;
  role: MembershipRole;
}

/** Every dealership the current user belongs to (RLS limits the rows to theirs). */
export async function listMyMemberships(tx: UserTx): Promise<Membership[]> {
  const rows = await tx<{ dealership_id: string; name: string; role: MembershipRole }[]>`
    select m.dealership_id, d.name, m.role
    from public.memberships m
    join public.dealerships d on d.id = m.dealership_id
    where m.user_id = (select auth.uid())
    order by d.name, d.id`;
  return rows.map((r) => ({ dealershipId: r.dealership_id, dealershipName: r.name, role: r.role }));
}

/** The membership named by the cookie if the user really has it, else their first one. */
export function pickActiveMembership(memberships: Membership[], requestedId: string | undefined): Membership | null {
  return memberships.find((m) => m.dealershipId === requestedId) ?? memberships[0] ?? null;
}

/** Roles allowed to manage a dealership (team, numbers, exports, deletion, audit log). */
export const MANAGING_ROLES: readonly MembershipRole[] = ["owner", "admin"];
