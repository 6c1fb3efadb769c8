/**
 * auth.sessions and auth.refresh_tokens, with GoTrue's rotation model: every refresh revokes the
 * presented token and inserts its child (`parent` = the old token) in the same session, so a
 * session's tokens form one family.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Db } from "./users";

/** One auth.sessions row. */
export interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  updated_at: Date;
  not_after: Date | null;
  aal: string;
}

/** One auth.refresh_tokens row (id is a bigint, returned as a string). */
export interface RefreshTokenRow {
  id: string;
  token: string;
  user_id: string;
  revoked: boolean;
  parent: string | null;
  session_id: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Where a session was started from, recorded as GoTrue does. */
export interface ClientInfo {
  userAgent: string | null;
  ip: string | null;
}

/** An opaque, unguessable refresh token. */
function newRefreshToken(): string {
  return randomBytes(24).toString("base64url");
}

/**
 * How a session was authenticated, as GoTrue records it in auth.mfa_amr_claims (the `amr` claim):
 * password sign-in, an e-mail link (invite, recovery), a TOTP code.
 */
export type AuthenticationMethod = "password" | "invite" | "recovery" | "otp" | "totp";

/** Start a session for a user and issue its first refresh token. */
export async function createSession(
  db: Db,
  userId: string,
  client: ClientInfo,
  method: AuthenticationMethod = "password",
): Promise<{ session: SessionRow; refreshToken: string }> {
  const [session] = await db<SessionRow[]>`
    insert into auth.sessions (id, user_id, aal, user_agent, ip)
    values (${randomUUID()}, ${userId}, 'aal1', ${client.userAgent}, ${client.ip}::inet)
    returning id, user_id, created_at, updated_at, not_after, aal`;
  const refreshToken = newRefreshToken();
  await db`
    insert into auth.refresh_tokens (token, user_id, session_id)
    values (${refreshToken}, ${userId}, ${session!.id})`;
  await addAmrClaim(db, session!.id, method);
  return { session: session!, refreshToken };
}

/** Record (or refresh the time of) an authentication method of a session. */
export async function addAmrClaim(db: Db, sessionId: string, method: AuthenticationMethod): Promise<void> {
  await db`
    insert into auth.mfa_amr_claims (id, session_id, authentication_method, created_at, updated_at)
    values (${randomUUID()}, ${sessionId}, ${method}, now(), now())
    on conflict (session_id, authentication_method) do update set updated_at = now()`;
}

/** The session's `amr` claim: each method with the time it was (last) used, newest first, as GoTrue. */
export async function sessionAmr(db: Db, sessionId: string): Promise<Array<{ method: string; timestamp: number }>> {
  const rows = await db<{ authentication_method: string; updated_at: Date }[]>`
    select authentication_method, updated_at from auth.mfa_amr_claims
    where session_id = ${sessionId} order by updated_at desc, authentication_method`;
  return rows.map((r) => ({ method: r.authentication_method, timestamp: Math.floor(r.updated_at.getTime() / 1000) }));
}

/** Raise a session to aal2 after a verified factor (GoTrue's UpdateAALAndAssociatedFactor). */
export async function setSessionAal(db: Db, sessionId: string, aal: "aal1" | "aal2", factorId: string | null) {
  await db`update auth.sessions set aal = ${aal}, factor_id = ${factorId}, updated_at = now() where id = ${sessionId}`;
}

/** End every other session of the user below aal2 (GoTrue does so once a factor is verified). */
export async function deleteSessionsBelowAal2(db: Db, userId: string, keepSessionId: string): Promise<void> {
  await db`delete from auth.sessions where user_id = ${userId} and id <> ${keepSessionId} and aal <> 'aal2'`;
}

/** The session with this id, or null (signed out, or ended by reuse detection). */
export async function findSession(db: Db, id: string): Promise<SessionRow | null> {
  const [row] = await db<SessionRow[]>`
    select id, user_id, created_at, updated_at, not_after, aal from auth.sessions where id = ${id}`;
  return row ?? null;
}

/**
 * Lock a session row. Every refresh of a session takes this lock first, so concurrent refreshes
 * (several tabs, parallel server requests) are serialised and never deadlock on token rows.
 */
export async function lockSession(db: Db, id: string): Promise<SessionRow | null> {
  const [row] = await db<SessionRow[]>`
    select id, user_id, created_at, updated_at, not_after, aal from auth.sessions where id = ${id} for update`;
  return row ?? null;
}

/** The refresh token row for this token string, or null. */
export async function findRefreshToken(db: Db, token: string): Promise<RefreshTokenRow | null> {
  const [row] = await db<RefreshTokenRow[]>`select * from auth.refresh_tokens where token = ${token}`;
  return row ?? null;
}

/** The session's newest unrevoked token (GoTrue's FindCurrentlyActiveRefreshToken). */
export async function findActiveRefreshToken(db: Db, sessionId: string): Promise<RefreshTokenRow | null> {
  const [row] = await db<RefreshTokenRow[]>`
    select * from auth.refresh_tokens
    where session_id = ${sessionId} and revoked = false
    order by id desc limit 1`;
  return row ?? null;
}

/**
 * Revoke `old` and issue its child in the same session. updated_at records the revocation time,
 * from which the reuse interval is measured.
 */
export async function swapRefreshToken(db: Db, old: RefreshTokenRow): Promise<string> {
  await db`update auth.refresh_tokens set revoked = true, updated_at = now() where id = ${old.id}`;
  const token = newRefreshToken();
  await db`
    insert into auth.refresh_tokens (token, user_id, parent, session_id)
    values (${token}, ${old.user_id}, ${old.token}, ${old.session_id})`;
  return token;
}

/** Note activity on a session (GoTrue bumps it on every refresh). */
export async function touchSession(db: Db, id: string): Promise<void> {
  await db`update auth.sessions set updated_at = now() where id = ${id}`;
}

/**
 * GoTrue's RevokeTokenFamily: on refresh-token reuse every unrevoked token of the session is
 * revoked (updated_at marks when). The session row stays, as on Supabase, so the Auth server
 * itself keeps accepting the session's unexpired access tokens; the app's own session check
 * (private.session_is_active) treats a session with no live refresh token as ended.
 */
export async function revokeTokenFamily(db: Db, sessionId: string): Promise<void> {
  await db`update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = ${sessionId} and revoked = false`;
}

/** End one session; its refresh tokens go with it (foreign key cascade). */
export async function deleteSession(db: Db, id: string): Promise<void> {
  await db`delete from auth.sessions where id = ${id}`;
}

/** End every session of a user, or every one but `keepSessionId`. */
export async function deleteUserSessions(db: Db, userId: string, keepSessionId?: string): Promise<void> {
  if (keepSessionId) {
    await db`delete from auth.sessions where user_id = ${userId} and id <> ${keepSessionId}`;
  } else {
    await db`delete from auth.sessions where user_id = ${userId}`;
    // Tokens issued without a session (none are, here) would otherwise outlive a global logout.
    await db`delete from auth.refresh_tokens where user_id = ${userId}`;
  }
}
