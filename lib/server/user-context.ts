import "server-only";
/**
 * The signed-in user for the current request: verified claims, memberships and the active
 * dealership, resolved once per request (React cache) and shared by pages, actions and routes.
 */
import { cookies } from "next/headers";
import { cache } from "react";
import { verifyAccessToken, type VerifiedClaims } from "@/lib/auth/claims";
import { ACTIVE_DEALERSHIP_COOKIE } from "@/lib/auth/cookie-options";
import { can, type Permission } from "@/lib/auth/permissions";
import { createSupabaseServerClient } from "@/lib/auth/supabase-server";
import { SessionEndedError, withAccount, withUser, type SessionSecurity, type UserScope } from "@/lib/db/scope";
import { listMyClosedDealerships, type ClosedDealership } from "@/lib/dealerships/closure";
import { listMyMemberships, pickActiveMembership, type Membership } from "@/lib/dealerships/memberships";
import { serverEnv } from "@/lib/env/server-env";

export interface UserContext {
  claims: VerifiedClaims;
  memberships: Membership[];
  /** The dealership the user is working in; every tenant query is scoped to it. */
  active: Membership;
  /** Whether the user's role in the active dealership holds the permission (UI and wrappers). */
  can(permission: Permission): boolean;
  /** Run fn in one transaction scoped to this user and the active dealership (RLS applies). */
  run<T>(fn: (scope: UserScope) => Promise<T>): Promise<T>;
  /** Second factor and recent re-authentication of this session (see requireRecentAuth). */
  security: SessionSecurity;
  /** The active dealership requires a second factor and the user has none yet. */
  mfaSetupRequired: boolean;
}

/**
 * The claims of the session cookie's token once its signature, issuer, audience and expiry are
 * verified, or null. Whether its session is still alive is checked by every transaction (see
 * getUserState), so use getUserState, not this, to decide whether someone is signed in.
 */
const getTokenClaims = cache(async (): Promise<VerifiedClaims | null> => {
  const supabase = await createSupabaseServerClient();
  const { data } = await supabase.auth.getSession();
  const token = data.session?.access_token;
  return token ? verifyAccessToken(token, serverEnv().SUPABASE_URL) : null;
});

/**
 * Signed out; signed in with a password but the second factor still to enter (`mfa_pending`);
 * signed in with no dealership; working in a dealership that was closed (`closed`: the one the
 * user was working in, or their only one; pages show /closed, actions are refused); or a member
 * working in one.
 */
export type UserState =
  | { kind: "signed_out" }
  | { kind: "mfa_pending"; claims: VerifiedClaims }
  | { kind: "no_membership"; claims: VerifiedClaims; security: SessionSecurity }
  | {
      kind: "closed";
      claims: VerifiedClaims;
      security: SessionSecurity;
      /** The user's closed dealerships (at least one). */
      closed: ClosedDealership[];
      /** The dealerships the user can still work in. */
      memberships: Membership[];
    }
  | { kind: "member"; ctx: UserContext };

/** The current user's state, resolved once per request. */
export const getUserState = cache(async (): Promise<UserState> => {
  const claims = await getTokenClaims();
  if (!claims) return { kind: "signed_out" };
  const requested = (await cookies()).get(ACTIVE_DEALERSHIP_COOKIE)?.value;
  let memberships: Membership[];
  let security: SessionSecurity;
  let closed: ClosedDealership[];
  try {
    ({ memberships, security, closed } = await withAccount(claims, async (session) => {
      const mine = await listMyMemberships(session);
      // Only when the user has no dealership left or the one they were working in is gone do we
      // look for closed ones (the usual request pays nothing for this).
      const lookForClosed =
        mine.length === 0 || (requested !== undefined && !mine.some((m) => m.dealershipId === requested));
      return {
        memberships: mine,
        security: session.security,
        closed: lookForClosed ? await listMyClosedDealerships(session) : [],
      };
    }));
  } catch (err) {
    // Signed out elsewhere, refresh-token reuse, expired or past a session limit: the token's
    // signature is still good.
    if (err instanceof SessionEndedError) return { kind: "signed_out" };
    throw err;
  }
  if (security.mfaEnrolled && claims.aal !== "aal2") return { kind: "mfa_pending", claims };
  if (closed.length > 0 && (memberships.length === 0 || closed.some((c) => c.dealershipId === requested))) {
    return { kind: "closed", claims, security, closed, memberships };
  }
  const active = pickActiveMembership(memberships, requested);
  if (!active) return { kind: "no_membership", claims, security };
  return {
    kind: "member",
    ctx: {
      claims,
      memberships,
      active,
      can: (permission) => can(active, permission),
      run: (fn) => withUser(claims, active.dealershipId, fn),
      security,
      mfaSetupRequired: active.requireMfa && !security.mfaEnrolled,
    },
  };
});

/** The current user's context, or null when signed out or a member of no dealership. */
export async function getUserContext(): Promise<UserContext | null> {
  const state = await getUserState();
  return state.kind === "member" ? state.ctx : null;
}
