import "server-only";
/**
 * The signed-in user for the current request: verified claims, memberships and the active
 * dealership, resolved once per request (React cache) and shared by pages, actions and routes.
 */
import { cookies } from "next/headers";
import { cache } from "react";
import { verifyAccessToken, type VerifiedClaims } from "@/lib/auth/claims";
import { ACTIVE_DEALERSHIP_COOKIE } from "@/lib/auth/cookie-options";
import { createSupabaseServerClient } from "@/lib/auth/supabase-server";
import { SessionEndedError, withUser, type UserTx } from "@/lib/db/with-user";
import { listMyMemberships, pickActiveMembership, type Membership } from "@/lib/dealerships/memberships";
import { serverEnv } from "@/lib/env/server-env";

export interface UserContext {
  claims: VerifiedClaims;
  memberships: Membership[];
  /** The dealership the user is working in; every tenant query filters by it. */
  active: Membership;
  /** Run fn in a transaction scoped to this user (RLS applies). */
  run<T>(fn: (tx: UserTx) => Promise<T>): Promise<T>;
}

/**
 * The verified claims of the session cookie, or null when signed out, the token is invalid, or
 * its session has ended (signed out elsewhere, refresh-token reuse): pages then go to /login and
 * API routes answer 401, even though the token's signature is still good.
 */
export const getVerifiedClaims = cache(async (): Promise<VerifiedClaims | null> => {
  const supabase = await createSupabaseServerClient();
  const { data } = await supabase.auth.getSession();
  const token = data.session?.access_token;
  const claims = token ? await verifyAccessToken(token, serverEnv().SUPABASE_URL) : null;
  if (!claims) return null;
  try {
    await withUser(claims, async () => null);
    return claims;
  } catch (err) {
    if (err instanceof SessionEndedError) return null;
    throw err;
  }
});

/** The current user's context, or null when signed out or a member of no dealership. */
export const getUserContext = cache(async (): Promise<UserContext | null> => {
  const claims = await getVerifiedClaims();
  if (!claims) return null;
  let memberships: Membership[];
  try {
    memberships = await withUser(claims, listMyMemberships);
  } catch (err) {
    // The session ended between the two statements of this request.
    if (err instanceof SessionEndedError) return null;
    throw err;
  }
  const requested = (await cookies()).get(ACTIVE_DEALERSHIP_COOKIE)?.value;
  const active = pickActiveMembership(memberships, requested);
  if (!active) return null;
  return { claims, memberships, active, run: (fn) => withUser(claims, fn) };
});
