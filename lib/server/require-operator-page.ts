import "server-only";
/**
 * requireUserPage's variant for the operator console: signed out to /login, second factor pending
 * to /login/mfa, anyone whose verified claims carry no platform role (app_metadata.platform_role,
 * set only by the service role) gets Next's `forbidden()`. Membership plays no part: operators
 * are not members. Administrative access needs a second factor: an operator whose session is not
 * `aal2` (no authenticator set up yet) is sent to /operator/security to set one up, as a member of
 * a dealership that requires it is sent to Settings → Security. The database checks the same role
 * and assurance again in every function the console calls (RL120 below aal2).
 */
import { forbidden, redirect } from "next/navigation";
import type { VerifiedClaims } from "@/lib/auth/claims";
import { platformCan, platformRoleOf, type PlatformPermission, type PlatformRole } from "@/lib/auth/permissions";
import { AppError } from "./app-error";
import { getUserState } from "./user-context";

/** A signed-in platform operator whose session finished two-factor sign-in. */
export interface Operator {
  claims: VerifiedClaims;
  role: PlatformRole;
}

/** Where an operator without a second factor sets one up. */
const OPERATOR_SECURITY_PATH = "/operator/security";

const NEEDS_SECOND_FACTOR =
  "Platform operators must sign in with two-factor authentication. Set up an authenticator app first.";

type OperatorState =
  | { kind: "signed_out" }
  | { kind: "mfa_pending" }
  | { kind: "not_operator" }
  | { kind: "needs_second_factor"; claims: VerifiedClaims; role: PlatformRole }
  | ({ kind: "operator" } & Operator);

async function operatorState(): Promise<OperatorState> {
  const state = await getUserState();
  if (state.kind === "signed_out") return { kind: "signed_out" };
  if (state.kind === "mfa_pending") return { kind: "mfa_pending" };
  const claims = state.kind === "member" ? state.ctx.claims : state.claims;
  const role = platformRoleOf(claims);
  if (!role) return { kind: "not_operator" };
  return claims.aal === "aal2" ? { kind: "operator", claims, role } : { kind: "needs_second_factor", claims, role };
}

/**
 * The signed-in operator (aal2) holding `permission` if given, or the AppError that explains the
 * refusal (unauthenticated, mfa_required, forbidden), for actions.
 */
export async function requireOperator(permission?: PlatformPermission): Promise<Operator> {
  const state = await operatorState();
  if (state.kind === "signed_out")
    throw new AppError("unauthenticated", "Your session has ended. Please sign in again.");
  if (state.kind === "mfa_pending" || state.kind === "needs_second_factor")
    throw new AppError("mfa_required", NEEDS_SECOND_FACTOR);
  if (state.kind === "not_operator") throw new AppError("forbidden", "Only platform operators can do that.");
  if (permission && !platformCan(state.role, permission))
    throw new AppError("forbidden", "Your role does not allow this.");
  return { claims: state.claims, role: state.role };
}

/**
 * Resolve the signed-in operator for a page, or leave the page the right way. With
 * `allowWithoutSecondFactor` (the page where the second factor is set up) an aal1 operator is let in.
 */
export async function requireOperatorPage(
  permission: PlatformPermission = "platform.dealerships.read",
  options: { allowWithoutSecondFactor?: boolean } = {},
): Promise<Operator> {
  const state = await operatorState();
  if (state.kind === "signed_out") redirect("/login");
  if (state.kind === "mfa_pending") redirect("/login/mfa");
  if (state.kind === "not_operator" || !platformCan(state.role, permission)) forbidden();
  if (state.kind === "needs_second_factor" && !options.allowWithoutSecondFactor) redirect(OPERATOR_SECURITY_PATH);
  return { claims: state.claims, role: state.role };
}
