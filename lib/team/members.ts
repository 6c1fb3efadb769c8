/**
 * Changing the team: roles, removal, ownership transfer and the MFA requirement. Each is a
 * definer function that re-checks the permission map, the owner rules and a recent
 * re-authentication (lib/server/step-up.ts) in the database itself.
 */
import type { UserScope } from "@/lib/db/scope";
import type { MembershipRole } from "@/lib/dealerships/memberships";
import { listTeamMembers, type TeamMember } from "@/lib/dealerships/team";

export interface TeamMemberWithSecurity extends TeamMember {
  /** Known to team managers only (null for everyone else). */
  mfaEnrolled: boolean | null;
}

/** The team, with each member's second-factor status when the viewer manages the team. */
export async function listTeam(scope: UserScope, canManage: boolean): Promise<TeamMemberWithSecurity[]> {
  const members = await listTeamMembers(scope);
  if (!canManage) return members.map((m) => ({ ...m, mfaEnrolled: null }));
  const rows = await scope.sql<{ user_id: string; mfa_enrolled: boolean }[]>`
    select user_id, mfa_enrolled from public.dealership_members_security(${scope.dealershipId})`;
  const enrolled = new Map(rows.map((r) => [r.user_id, r.mfa_enrolled]));
  return members.map((m) => ({ ...m, mfaEnrolled: enrolled.get(m.userId) ?? false }));
}

/** Change a member's role. */
export async function changeMemberRole(scope: UserScope, userId: string, role: MembershipRole): Promise<void> {
  await scope.sql`select public.set_member_role(${scope.dealershipId}, ${userId}, ${role})`;
}

/**
 * Remove a member: their leads go to `reassignTo` (or become unassigned) and all their sessions
 * end at once. Returns how many leads were reassigned.
 */
export async function removeMember(scope: UserScope, userId: string, reassignTo: string | null): Promise<number> {
  const [row] = await scope.sql<{ moved: number }[]>`
    select public.remove_member(${scope.dealershipId}, ${userId}, ${reassignTo}) as moved`;
  return row?.moved ?? 0;
}

/** Make another member the owner; the caller becomes an admin. */
export async function transferOwnership(scope: UserScope, toUserId: string): Promise<void> {
  await scope.sql`select public.transfer_ownership(${scope.dealershipId}, ${toUserId})`;
}

/** Require (or stop requiring) a second factor for every member of the dealership. */
export async function setDealershipRequiresMfa(scope: UserScope, required: boolean): Promise<void> {
  await scope.sql`select public.set_dealership_require_mfa(${scope.dealershipId}, ${required})`;
}
