/**
 * Who is calling: a signed-in user (GoTrue's requireAuthentication) or an admin (requireAdmin).
 */
import type { IncomingMessage } from "node:http";
import type { AuthContext } from "./context";
import { AuthApiError, badRequest, forbidden } from "./errors";
import { findSession, type SessionRow } from "./sessions";
import { verifyAccessToken } from "./tokens";
import { findUserById, isBanned, type UserRow } from "./users";

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/** True for a canonical UUID string. */
export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}

/** The Bearer token of the request, or GoTrue's 401 `no_authorization`. */
export function bearerToken(req: IncomingMessage): string {
  const m = /^[Bb]earer (\S+)$/.exec(req.headers.authorization ?? "");
  if (!m) throw new AuthApiError(401, "no_authorization", "This endpoint requires a Bearer token");
  return m[1]!;
}

/** The signed-in user behind an access token and the session it belongs to. */
export interface Caller {
  user: UserRow;
  session: SessionRow | null;
}

/**
 * Authenticate a user request. A token whose session was signed out (or ended by refresh-token
 * reuse) is refused at once, even though its signature and expiry are still fine.
 */
export async function requireUser(ctx: AuthContext, req: IncomingMessage): Promise<Caller> {
  const token = bearerToken(req);
  // On Supabase the gateway turns an API key used as Bearer into a role JWT without `sub`.
  if (token === ctx.anonKey || token === ctx.serviceRoleKey) {
    throw forbidden("bad_jwt", "invalid claim: missing sub claim");
  }
  const claims = await verifyAccessToken(ctx.key, token, ctx.now());
  const sub = typeof claims.sub === "string" ? claims.sub : "";
  if (!sub) throw forbidden("bad_jwt", "invalid claim: missing sub claim");
  if (!isUuid(sub)) throw badRequest("bad_jwt", "invalid claim: sub claim must be a UUID");
  const user = await findUserById(ctx.sql, sub);
  if (!user) throw forbidden("user_not_found", "User from sub claim in JWT does not exist");

  let session: SessionRow | null = null;
  const sessionId = typeof claims.session_id === "string" ? claims.session_id : "";
  if (sessionId && sessionId !== NIL_UUID) {
    if (!isUuid(sessionId)) throw forbidden("bad_jwt", "invalid claim: session_id claim must be a UUID");
    session = await findSession(ctx.sql, sessionId);
    if (!session) throw forbidden("session_not_found", "Session from session_id claim in JWT does not exist");
  }
  if (isBanned(user)) throw forbidden("user_banned", "User is banned");
  return { user, session };
}

/**
 * Authenticate an admin request: the service-role key as Bearer (what the gateway turns into a
 * service_role JWT). Any other valid token is a user, which GoTrue answers with `not_admin`.
 */
export async function requireAdmin(ctx: AuthContext, req: IncomingMessage): Promise<void> {
  const token = bearerToken(req);
  if (token === ctx.serviceRoleKey) return;
  if (token !== ctx.anonKey) await verifyAccessToken(ctx.key, token, ctx.now());
  throw forbidden("not_admin", "User not allowed");
}
