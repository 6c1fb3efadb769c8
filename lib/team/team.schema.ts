/**
 * Inputs of the team actions, validated with zod (e-mail addresses are lower-cased and trimmed).
 */
import { z } from "zod";
import { MEMBERSHIP_ROLES } from "@/lib/auth/permissions";

const role = z.enum(MEMBERSHIP_ROLES, "Choose a role.");

export const inviteSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email("Enter a valid e-mail address.").max(255, "That e-mail address is too long.")),
  role,
});
export type InviteInput = z.infer<typeof inviteSchema>;

export const invitationIdSchema = z.object({ invitationId: z.uuid() });

export const changeRoleSchema = z.object({ userId: z.uuid(), role });

export const removeMemberSchema = z.object({
  userId: z.uuid(),
  // "" = leave their leads unassigned.
  reassignTo: z.union([z.uuid(), z.literal("")]).transform((v) => (v === "" ? null : v)),
});

export const transferOwnershipSchema = z.object({ userId: z.uuid("Choose a member.") });
