"use server";

import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/server/user-action";
import { inviteMember, revokeInvitation } from "@/lib/team/invitations";
import { sendSupabaseInvitation } from "@/lib/team/invitation-email";
import { changeMemberRole, removeMember, transferOwnership } from "@/lib/team/members";
import {
  changeRoleSchema,
  invitationIdSchema,
  inviteSchema,
  removeMemberSchema,
  transferOwnershipSchema,
} from "@/lib/team/team.schema";

/** Invite someone by e-mail (owners and admins; only owners may invite owners: the database says so). */
export const inviteMemberAction = userAction(
  inviteSchema,
  async (input, ctx) => {
    const result = await ctx.run((scope) => inviteMember(scope, input, sendSupabaseInvitation));
    revalidatePath("/settings");
    return result;
  },
  { permission: "team.manage" },
);

/** Withdraw an open invitation. */
export const revokeInvitationAction = userAction(
  invitationIdSchema,
  async ({ invitationId }, ctx) => {
    await ctx.run((scope) => revokeInvitation(scope, invitationId));
    revalidatePath("/settings");
    return { invitationId };
  },
  { permission: "team.manage" },
);

/** Change a member's role (sensitive: step-up first). */
export const changeRoleAction = userAction(
  changeRoleSchema,
  async ({ userId, role }, ctx) => {
    await ctx.run((scope) => changeMemberRole(scope, userId, role));
    revalidatePath("/settings");
    return { userId, role };
  },
  { permission: "team.manage", recentAuth: true },
);

/** Remove a member, reassigning their leads; their sessions end at once (sensitive: step-up first). */
export const removeMemberAction = userAction(
  removeMemberSchema,
  async ({ userId, reassignTo }, ctx) => {
    const moved = await ctx.run((scope) => removeMember(scope, userId, reassignTo));
    revalidatePath("/settings");
    return { userId, leadsReassigned: moved };
  },
  { permission: "team.manage", recentAuth: true },
);

/** Make another member the owner; you become an admin (owners; step-up first). */
export const transferOwnershipAction = userAction(
  transferOwnershipSchema,
  async ({ userId }, ctx) => {
    await ctx.run((scope) => transferOwnership(scope, userId));
    revalidatePath("/settings");
    return { userId };
  },
  { permission: "team.transfer_ownership", recentAuth: true },
);
