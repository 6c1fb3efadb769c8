/**
 * GoTrue's AccessTokenResponse and user JSON, shared by every endpoint that starts or upgrades a
 * session (password grant, refresh, e-mail link verification, MFA verification).
 */
import type { AuthContext } from "./context";
import { listFactors, toFactorJson } from "./mfa-factors";
import { sessionAmr, type SessionRow } from "./sessions";
import { signAccessToken } from "./tokens";
import { toUserJson, type Db, type UserRow } from "./users";

/** The user object with its factors (omitted when there are none, as Go's omitempty does). */
export async function userJsonWithFactors(db: Db, user: UserRow): Promise<Record<string, unknown>> {
  const json = toUserJson(user);
  const factors = await listFactors(db, user.id);
  if (factors.length > 0) json.factors = factors.map(toFactorJson);
  return json;
}

/** GoTrue's AccessTokenResponse for a user's session; `aal` and `amr` come from the session. */
export async function sessionBody(ctx: AuthContext, user: UserRow, session: SessionRow, refreshToken: string) {
  const iat = Math.floor(ctx.now().getTime() / 1000);
  const exp = iat + ctx.accessTokenTtlSeconds;
  const amr = await sessionAmr(ctx.sql, session.id);
  const accessToken = await signAccessToken(ctx.key, {
    iss: ctx.issuer,
    sub: user.id,
    aud: user.aud || "authenticated",
    exp,
    iat,
    email: user.email ?? "",
    phone: user.phone ?? "",
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    role: user.role || "authenticated",
    aal: session.aal || "aal1",
    amr: amr.length > 0 ? amr : [{ method: "password", timestamp: Math.floor(session.created_at.getTime() / 1000) }],
    session_id: session.id,
    is_anonymous: user.is_anonymous,
  });
  return {
    access_token: accessToken,
    token_type: "bearer",
    expires_in: ctx.accessTokenTtlSeconds,
    expires_at: exp,
    refresh_token: refreshToken,
    user: await userJsonWithFactors(ctx.sql, user),
  };
}
