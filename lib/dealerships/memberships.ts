/**
 * The signed-in user's memberships and the choice of the active dealership.
 */
import type { CountryCode } from "libphonenumber-js";
import type { MembershipRole } from "@/lib/auth/permissions";
import type { AccountSession } from "@/lib/db/scope";

export type { MembershipRole };

export interface Membership {
  dealershipId: string;
  dealershipName: string;
  role: MembershipRole;
  /** Default region for parsing phone numbers without a country code (ISO 3166 alpha-2). */
  region: CountryCode;
  /** The dealership requires every member to have a second factor (owners decide). */
  requireMfa: boolean;
}

/** Every dealership the current user belongs to (RLS limits the rows to theirs). */
export async function listMyMemberships({ sql }: AccountSession): Promise<Membership[]> {
  const rows = await sql<
    { dealership_id: string; name: string; role: MembershipRole; default_region: CountryCode; require_mfa: boolean }[]
  >`
    select m.dealership_id, d.name, m.role, d.default_region, d.require_mfa
    from public.memberships m
    join public.dealerships d on d.id = m.dealership_id
    where m.user_id = (select auth.uid())
    order by d.name, d.id`;
  return rows.map((r) => ({
    dealershipId: r.dealership_id,
    dealershipName: r.name,
    role: r.role,
    region: r.default_region,
    requireMfa: r.require_mfa,
  }));
}

/** The membership named by the cookie if the user really has it, else their first one. */
export function pickActiveMembership(memberships: Membership[], requestedId: string | undefined): Membership | null {
  return memberships.find((m) => m.dealershipId === requestedId) ?? memberships[0] ?? null;
}
