/**
 * The one map of who may do what inside a dealership, in the style of dub's
 * `apps/web/lib/api/rbac/permissions.ts`: each permission is listed once with the roles that hold
 * it. The wrappers (`userAction`, `userRoute`, `requireUserPage`) check it, the UI asks `can()`
 * before offering an action, and the database holds the same map in `private.role_permissions`
 * (supabase/migrations/*_permissions.sql), which the RLS policies consult through
 * `private.has_permission()`. `lib/auth/permissions.test.ts` asserts the two agree.
 *
 * To add a permission: add a row here, add the same rows to a new migration's
 * `insert into private.role_permissions`, and use it (`{ permission: "x.y" }` on the wrapper,
 * `private.has_permission(dealership_id, 'x.y')` in SQL). The agreement test fails until both match.
 */

export const MEMBERSHIP_ROLES = ["owner", "admin", "manager", "rep"] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

const ALL = MEMBERSHIP_ROLES;
const LEAD_MANAGERS = ["owner", "admin", "manager"] as const;
const ACCOUNT_MANAGERS = ["owner", "admin"] as const;
const OWNERS = ["owner"] as const;

export const PERMISSIONS = [
  // Leads. Reps work only the leads assigned to them; these permissions widen that.
  { action: "leads.view_all", roles: LEAD_MANAGERS, description: "See and work every lead of the dealership" },
  { action: "leads.assign", roles: LEAD_MANAGERS, description: "Assign leads to team members" },
  { action: "leads.delete", roles: ACCOUNT_MANAGERS, description: "Delete leads" },
  { action: "leads.import", roles: LEAD_MANAGERS, description: "Import leads from CRM exports" },
  { action: "leads.reconsent", roles: LEAD_MANAGERS, description: "Record a lead's renewed consent after an opt-out" },
  // Do-not-contact: anyone can add a number (a customer can ask anyone); few may take one off.
  { action: "do_not_contact.add", roles: ALL, description: "Add numbers to the do-not-contact list" },
  {
    action: "do_not_contact.remove",
    roles: ACCOUNT_MANAGERS,
    description: "Remove numbers from the do-not-contact list",
  },
  // Messaging.
  { action: "conversations.reply", roles: ALL, description: "Text leads they can see" },
  { action: "sending_numbers.manage", roles: ACCOUNT_MANAGERS, description: "Add and remove sending numbers" },
  // Campaigns.
  { action: "campaigns.view", roles: ALL, description: "See campaigns and their progress" },
  {
    action: "campaigns.manage",
    roles: LEAD_MANAGERS,
    description: "Create campaigns, launch, pause, resume and cancel them",
  },
  { action: "campaigns.settings", roles: ACCOUNT_MANAGERS, description: "Change the dealership's campaign settings" },
  // The dealership itself.
  { action: "dealership.settings", roles: ACCOUNT_MANAGERS, description: "Change the dealership's settings" },
  { action: "team.view", roles: ALL, description: "See the team" },
  {
    action: "team.manage",
    roles: ACCOUNT_MANAGERS,
    description: "Invite members, change roles below owner, remove members who are not owners",
  },
  // Admins cannot create owners: an admin who could would be an owner in all but name.
  {
    action: "team.transfer_ownership",
    roles: OWNERS,
    description: "Make or unmake owners, remove an owner, hand the dealership over",
  },
  { action: "dealership.require_mfa", roles: OWNERS, description: "Require two-factor authentication for everyone" },
  {
    action: "dealership.close",
    roles: OWNERS,
    description: "Close the dealership (deleted for good after 30 days) and reopen it within them",
  },
  { action: "audit.view", roles: ACCOUNT_MANAGERS, description: "Read the audit log" },
  { action: "data.export", roles: ACCOUNT_MANAGERS, description: "Download all of the dealership's data" },
  // Platform support: only owners let an operator in (time-limited, audited, read-only).
  {
    action: "support.grant",
    roles: OWNERS,
    description: "Grant, deny and revoke a platform operator's time-limited read access",
  },
] as const satisfies readonly { action: string; roles: readonly MembershipRole[]; description: string }[];

export type Permission = (typeof PERMISSIONS)[number]["action"];

const ROLES_BY_PERMISSION = new Map<string, readonly MembershipRole[]>(PERMISSIONS.map((p) => [p.action, p.roles]));

/** Someone acting inside a dealership: a member with a role. Services are never checked here. */
export interface RoleHolder {
  role: MembershipRole;
}

/** Whether the role holds the permission. */
export function roleCan(role: MembershipRole, permission: Permission): boolean {
  return ROLES_BY_PERMISSION.get(permission)?.includes(role) ?? false;
}

/** Whether the actor (a member of the active dealership) may do it. */
export function can(actor: RoleHolder, permission: Permission): boolean {
  return roleCan(actor.role, permission);
}

/** Every (role, permission) pair the map grants, sorted: what the SQL table must hold exactly. */
export function grantedPairs(): string[] {
  return PERMISSIONS.flatMap((p) => p.roles.map((r) => `${r}:${p.action}`)).sort();
}

/**
 * Platform roles: held outside every dealership, in the Auth user's app_metadata.platform_role,
 * set only with the service role. Mirrored in private.platform_role_permissions (the agreement test
 * checks both). Operators are not members, so none of the dealership permissions above apply to them.
 */
export const PLATFORM_ROLES = ["operator"] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

export const PLATFORM_PERMISSIONS = [
  { action: "platform.dealerships.read", roles: PLATFORM_ROLES, description: "See dealerships and their aggregates" },
  { action: "platform.dealerships.create", roles: PLATFORM_ROLES, description: "Create dealerships and invite owners" },
  { action: "platform.dealerships.approve", roles: PLATFORM_ROLES, description: "Approve pending dealerships" },
  {
    action: "platform.dealerships.suspend",
    roles: PLATFORM_ROLES,
    description: "Suspend and resume dealerships",
  },
  {
    action: "platform.support.request",
    roles: PLATFORM_ROLES,
    description: "Ask a dealership's owner for time-limited read access, and use it once granted (audited)",
  },
  {
    action: "platform.sending_numbers.assign",
    roles: PLATFORM_ROLES,
    description: "Assign the platform's Twilio numbers to dealerships",
  },
  {
    action: "platform.sending_numbers.release",
    roles: PLATFORM_ROLES,
    description: "Release a dealership's sending numbers",
  },
] as const satisfies readonly { action: string; roles: readonly PlatformRole[]; description: string }[];

export type PlatformPermission = (typeof PLATFORM_PERMISSIONS)[number]["action"];

/** The platform role in verified claims' app_metadata, if it is one we know. */
export function platformRoleOf(claims: { app_metadata?: { platform_role?: string } }): PlatformRole | null {
  const r = claims.app_metadata?.platform_role;
  return (PLATFORM_ROLES as readonly string[]).includes(r ?? "") ? (r as PlatformRole) : null;
}

/** Whether the platform role holds the platform permission. */
export function platformCan(role: PlatformRole | null, permission: PlatformPermission): boolean {
  return (
    role !== null &&
    PLATFORM_PERMISSIONS.some((p) => p.action === permission && (p.roles as readonly string[]).includes(role))
  );
}
