/**
 * Invitations: who may invite whom is decided by the database (public.create_invitation and
 * friends re-check the permission map and the owner rules); the e-mail goes through Supabase
 * Auth's own invite flow, so production needs no mail service of its own.
 */
import type { AccountSession, UserScope } from "@/lib/db/scope";
import type { MembershipRole } from "@/lib/dealerships/memberships";
import { AppError } from "@/lib/server/app-error";
import type { InviteInput } from "./team.schema";

/** Sends Supabase's invitation e-mail; "exists" when the address already has a confirmed account. */
export type SendInvitationEmail = (email: string) => Promise<"sent" | "exists">;

export interface Invitation {
  id: string;
  email: string;
  role: MembershipRole;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * Invite someone: the invitation row and the e-mail succeed or fail together (the e-mail is sent
 * inside the transaction, so an Auth failure leaves no invitation). An address that already has
 * an account gets no e-mail: the person sees the invitation when they next sign in.
 */
export async function inviteMember(
  scope: UserScope,
  input: InviteInput,
  sendEmail: SendInvitationEmail,
): Promise<{ id: string; emailSent: boolean }> {
  const [row] = await scope.sql<{ id: string }[]>`
    select public.create_invitation(${scope.dealershipId}, ${input.email}, ${input.role}) as id`;
  const outcome = await sendEmail(input.email);
  return { id: row!.id, emailSent: outcome === "sent" };
}

/** Withdraw an open invitation. */
export async function revokeInvitation(scope: UserScope, invitationId: string): Promise<void> {
  await scope.sql`select public.revoke_invitation(${invitationId})`;
}

/** The dealership's open, unexpired invitations (RLS: team managers only). */
export async function listOpenInvitations({ sql, dealershipId }: UserScope): Promise<Invitation[]> {
  const rows = await sql<{ id: string; email: string; role: MembershipRole; created_at: Date; expires_at: Date }[]>`
    select id, email, role, created_at, expires_at from public.invitations
    where dealership_id = ${dealershipId} and accepted_at is null and revoked_at is null and expires_at > now()
    order by created_at desc`;
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    role: r.role,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  }));
}

export interface MyInvitation {
  id: string;
  dealershipId: string;
  dealershipName: string;
  role: MembershipRole;
  expiresAt: Date;
}

/** The signed-in user's own open invitations (to their confirmed e-mail). */
export async function listMyInvitations({ sql }: AccountSession): Promise<MyInvitation[]> {
  const rows = await sql<
    { id: string; dealership_id: string; dealership_name: string; role: MembershipRole; expires_at: Date }[]
  >`select * from public.my_invitations()`;
  return rows.map((r) => ({
    id: r.id,
    dealershipId: r.dealership_id,
    dealershipName: r.dealership_name,
    role: r.role,
    expiresAt: r.expires_at,
  }));
}

/** Join a dealership with an invitation; returns its id. Refusals are the database's RL03x errors. */
export async function acceptInvitation({ sql }: AccountSession, invitationId: string): Promise<string> {
  const [row] = await sql<
    { dealership_id: string }[]
  >`select public.accept_invitation(${invitationId}) as dealership_id`;
  if (!row) throw new AppError("not_found", "This invitation is not for this account.");
  return row.dealership_id;
}
