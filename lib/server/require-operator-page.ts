import "server-only";
/**
 * requireUserPage's variant for the operator console: signed out to /login, second factor pending
 * to /login/mfa, anyone whose verified claims carry no platform role (app_metadata.platform_role,
 * set only by the service role) gets Next's `forbidden()`. Membership plays no part: operators
 * are not members. The database checks the same role again in every function the console calls.
 */
import { forbidden, redirect } from "next/navigation";
import type { VerifiedClaims } from "@/lib/auth/claims";
import { platformCan, platformRoleOf, type PlatformPermission, type PlatformRole } from "@/lib/auth/permissions";
import { getUserState } from "./user-context";

/** The signed-in operator's claims and platform role, or null (signed out, MFA pending, not an operator). */
export async function getOperator(): Promise<{ claims: VerifiedClaims; role: PlatformRole } | null> {
  const state = await getUserState();
  if (state.kind === "signed_out" || state.kind === "mfa_pending") return null;
  const claims = state.kind === "member" ? state.ctx.claims : state.claims;
  const role = platformRoleOf(claims);
  return role ? { claims, role } : null;
}

/** Resolve the signed-in operator for a page, or leave the page the right way. */
export async function requireOperatorPage(
  permission: PlatformPermission = "platform.dealerships.read",
): Promise<{ claims: VerifiedClaims; role: PlatformRole }> {
  const state = await getUserState();
  if (state.kind === "signed_out") redirect("/login");
  if (state.kind === "mfa_pending") redirect("/login/mfa");
  const operator = await getOperator();
  if (!operator || !platformCan(operator.role, permission)) forbidden();
  return operator;
}
