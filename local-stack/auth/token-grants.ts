/**
 * POST /token: the password and refresh_token grants, answering with GoTrue's session JSON.
 */
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import type { AuthContext, Handler, Reply } from "./context";
import { badRequest, OAuthError, unprocessable } from "./errors";
import { readJson } from "./http-io";
import {
  createSession,
  findActiveRefreshToken,
  findRefreshToken,
  lockSession,
  revokeTokenFamily,
  swapRefreshToken,
  touchSession,
  type ClientInfo,
  type SessionRow,
} from "./sessions";
import { sessionBody } from "./session-response";
import { findUserByEmail, findUserById, isBanned, passwordMatches, touchLastSignIn, type UserRow } from "./users";

const INVALID_LOGIN = "Invalid login credentials";

// Unknown fields (supabase-js sends gotrue_meta_security) are ignored, as GoTrue ignores them.
const passwordGrantBody = z.object({
  email: z.string().optional(),
  phone: z.string().optional(),
  password: z.string().optional(),
});
const refreshGrantBody = z.object({ refresh_token: z.string().optional() });

/** Route POST /token by its grant_type query parameter. */
export const tokenEndpoint: Handler = async (ctx, req, url) => {
  switch (url.searchParams.get("grant_type")) {
    case "password":
      return passwordGrant(ctx, req);
    case "refresh_token":
      return refreshTokenGrant(ctx, req);
    default:
      throw new OAuthError("unsupported_grant_type", "");
  }
};

async function passwordGrant(ctx: AuthContext, req: IncomingMessage): Promise<Reply> {
  const body = await readJson(req, passwordGrantBody);
  const email = body.email ?? "";
  const phone = body.phone ?? "";
  if (email && phone) {
    throw unprocessable("validation_failed", "Only an email address or phone number should be provided on login.");
  }
  if (phone) throw unprocessable("phone_provider_disabled", "Phone logins are disabled");
  if (!email) throw badRequest("validation_failed", "missing email or phone");

  const user = await findUserByEmail(ctx.sql, email);
  const usable = user && !user.deleted_at ? user : null;
  // Always run bcrypt (against a dummy hash when there is no user) so timing does not tell
  // registered emails apart; every failure gives the same answer.
  const ok = await passwordMatches(body.password ?? "", usable?.encrypted_password);
  if (!usable || !ok) throw badRequest("invalid_credentials", INVALID_LOGIN);
  if (isBanned(usable)) throw badRequest("user_banned", "User is banned");
  if (!usable.email_confirmed_at) throw badRequest("email_not_confirmed", "Email not confirmed");

  const { signedIn, session, refreshToken } = await ctx.sql.begin(async (tx) => {
    const started = await createSession(tx, usable.id, clientInfo(req));
    return { ...started, signedIn: await touchLastSignIn(tx, usable.id) };
  });
  return { status: 200, body: await sessionBody(ctx, signedIn, session, refreshToken) };
}

type RefreshResult = { reused: true } | { reused: false; user: UserRow; session: SessionRow; refreshToken: string };

async function refreshTokenGrant(ctx: AuthContext, req: IncomingMessage): Promise<Reply> {
  const body = await readJson(req, refreshGrantBody);
  const presented = body.refresh_token ?? "";
  if (!presented) throw new OAuthError("invalid_request", "refresh_token required");

  const result: RefreshResult = await ctx.sql.begin(async (tx): Promise<RefreshResult> => {
    const seen = await findRefreshToken(tx, presented);
    if (!seen) throw badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
    const user = await findUserById(tx, seen.user_id);
    if (!user) throw badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
    if (isBanned(user)) throw badRequest("user_banned", "Invalid Refresh Token: User Banned");
    const session = seen.session_id ? await lockSession(tx, seen.session_id) : null;
    if (!session) throw badRequest("session_not_found", "Invalid Refresh Token: No Valid Session Found");
    if (session.not_after && session.not_after.getTime() < Date.now()) {
      throw badRequest("session_expired", "Invalid Refresh Token: Session Expired");
    }
    // Re-read under the session lock: a concurrent refresh may just have rotated this token.
    const token = await findRefreshToken(tx, presented);
    if (!token) throw badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");

    let issued: string;
    if (!token.revoked) {
      issued = await swapRefreshToken(tx, token);
    } else {
      const active = await findActiveRefreshToken(tx, session.id);
      const reuseUntil = token.updated_at.getTime() + ctx.refreshTokenReuseIntervalSeconds * 1000;
      if (active && active.parent === token.token) {
        // As GoTrue: the client lost the answer to its last refresh (or two requests raced),
        // so it gets the current token again instead of a new branch.
        issued = active.token;
      } else if (Date.now() < reuseUntil) {
        issued = await swapRefreshToken(tx, token);
      } else {
        // An older token came back: treat the family as stolen and revoke every token of the
        // session, exactly as GoTrue (v1 refresh tokens) does. The refusal must commit.
        await revokeTokenFamily(tx, session.id);
        return { reused: true };
      }
    }
    await touchSession(tx, session.id);
    return { reused: false, user, session, refreshToken: issued };
  });

  if (result.reused) throw badRequest("refresh_token_already_used", "Invalid Refresh Token: Already Used");
  return { status: 200, body: await sessionBody(ctx, result.user, result.session, result.refreshToken) };
}

/** Where a request comes from, as GoTrue records it on a new session. */
export function clientInfo(req: IncomingMessage): ClientInfo {
  return { userAgent: req.headers["user-agent"] ?? null, ip: req.socket.remoteAddress ?? null };
}
