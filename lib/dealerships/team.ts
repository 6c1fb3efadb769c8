/**
 * The team directory of a dealership (e-mail and display name come from auth.users through the
 * dealership_members() function, to members only).
 */
import type { UserScope } from "@/lib/db/scope";
import type { MembershipRole } from "./memberships";

export interface TeamMember {
  userId: string;
  role: MembershipRole;
  email: string;
  displayName: string;
}

/** Every member of the dealership. */
export async function listTeamMembers({ sql, dealershipId }: UserScope): Promise<TeamMember[]> {
  const rows = await sql<{ user_id: string; role: MembershipRole; email: string; display_name: string }[]>`
    select user_id, role, email, display_name from public.dealership_members(${dealershipId})`;
  return rows.map((r) => ({ userId: r.user_id, role: r.role, email: r.email, displayName: r.display_name }));
}
