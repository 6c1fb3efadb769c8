/**
 * The e-mail link flows: POST /invite (admin), POST /recover and POST /verify, as GoTrue's
 * invite.go, recover.go and verify.go answer them. Links are delivered to the local mailbox
 * (mailer.ts); the token hash of each link is stored on the user (confirmation_token for an
 * invitation, recovery_token for a reset), works once and expires after `emailOtpExpirySeconds`.
 */
import { z } from "zod";
import type { AuthContext, Handler } from "./context";
import { AuthApiError, badRequest, forbidden, unprocessable } from "./errors";
import { readJson } from "./http-io";
import { emailTokenHash, newEmailOtp, sendAuthEmail } from "./mailer";
import { requireAdmin } from "./request-auth";
import { sessionBody, userJsonWithFactors } from "./session-response";
import { createSession, type AuthenticationMethod } from "./sessions";
import { clientInfo } from "./token-grants";
import { findUserByEmail, insertUser, isBanned, type Db, type UserRow } from "./users";
import { validateEmail } from "./validation";

const DUPLICATE_EMAIL = "A user with this email address has already been registered";
const LINK_INVALID = "Email link is invalid or has expired";
/** GoTrue's SMTP max_frequency: one e-mail of a kind per user per minute. */
const EMAIL_MIN_INTERVAL_SECONDS = 60;

const inviteBody = z.object({ email: z.string().optional(), data: z.record(z.string(), z.unknown()).nullish() });
const recoverBody = z.object({ email: z.string().optional() });
const verifyBody = z.object({
  type: z.string().optional(),
  token_hash: z.string().optional(),
  token: z.string().optional(),
  email: z.string().optional(),
});

/** The redirect a client asked for (GoTrue's `redirect_to` query parameter). */
const redirectOf = (url: URL) => url.searchParams.get("redirect_to") ?? undefined;

/**
 * POST /invite: create (or re-invite) an unconfirmed user without a password, stamp invited_at and
 * send the invitation e-mail.
 */
export const inviteEndpoint: Handler = async (ctx, req, url) => {
  await requireAdmin(ctx, req);
  const p = await readJson(req, inviteBody);
  const email = validateEmail(p.email ?? "");
  const otp = newEmailOtp();
  const tokenHash = emailTokenHash(email, otp);
  const user = await ctx.sql
    .begin(async (tx) => {
      const existing = await findUserByEmail(tx, email);
      if (existing?.email_confirmed_at || existing?.phone_confirmed_at) {
        throw unprocessable("email_exists", DUPLICATE_EMAIL);
      }
      const row =
        existing ?? (await insertUser(tx, { email, encryptedPassword: "", userMetadata: p.data ?? undefined }));
      const [invited] = await tx<UserRow[]>`
        update auth.users set invited_at = now(), confirmation_token = ${tokenHash}, confirmation_sent_at = now(),
          updated_at = now()
        where id = ${row.id} returning *`;
      await sendAuthEmail(tx, {
        kind: "invite",
        to: email,
        tokenHash,
        otp,
        siteUrl: ctx.siteUrl,
        redirectTo: redirectOf(url),
      });
      return invited!;
    })
    .catch((err: { code?: string; constraint_name?: string }) => {
      if (err.code === "23505") throw unprocessable("email_exists", DUPLICATE_EMAIL);
      throw err;
    });
  return { status: 200, body: await userJsonWithFactors(ctx.sql, user) };
};

/**
 * POST /recover: send a password-reset link. An unknown e-mail gets the same empty 200 (no
 * account enumeration); a second request within a minute is refused as GoTrue refuses it.
 */
export const recoverEndpoint: Handler = async (ctx, req, url) => {
  const p = await readJson(req, recoverBody);
  const email = validateEmail(p.email ?? "");
  await ctx.sql.begin(async (tx) => {
    const user = await findUserByEmail(tx, email);
    if (!user || user.deleted_at) return;
    const [sent] = await tx<{ recovery_sent_at: Date | null }[]>`
      select recovery_sent_at from auth.users where id = ${user.id} for update`;
    const last = sent?.recovery_sent_at?.getTime() ?? 0;
    const wait = Math.ceil((last + EMAIL_MIN_INTERVAL_SECONDS * 1000 - Date.now()) / 1000);
    if (wait > 0) {
      throw new AuthApiError(
        429,
        "over_email_send_rate_limit",
        `For security purposes, you can only request this after ${wait} seconds.`,
      );
    }
    const otp = newEmailOtp();
    const tokenHash = emailTokenHash(user.email ?? email, otp);
    await tx`update auth.users set recovery_token = ${tokenHash}, recovery_sent_at = now(), updated_at = now() where id = ${user.id}`;
    await sendAuthEmail(tx, {
      kind: "recovery",
      to: user.email ?? email,
      tokenHash,
      otp,
      siteUrl: ctx.siteUrl,
      redirectTo: redirectOf(url),
    });
  });
  return { status: 200, body: {} };
};

/** Which stored token a verification type redeems, and the amr method the session gets. */
const VERIFY_TYPES: Record<
  string,
  { column: "confirmation_token" | "recovery_token"; sentAt: string; amr: AuthenticationMethod }[]
> = {
  invite: [{ column: "confirmation_token", sentAt: "invited_at", amr: "invite" }],
  recovery: [{ column: "recovery_token", sentAt: "recovery_sent_at", amr: "recovery" }],
  // "email" redeems any e-mail link (GoTrue's newer unified type).
  email: [
    { column: "confirmation_token", sentAt: "invited_at", amr: "otp" },
    { column: "recovery_token", sentAt: "recovery_sent_at", amr: "otp" },
  ],
};

/** Find and consume the user whose stored token hash matches; null when none matches. */
async function redeem(
  db: Db,
  tokenHash: string,
  kinds: (typeof VERIFY_TYPES)[string],
  expirySeconds: number,
): Promise<{ user: UserRow; amr: AuthenticationMethod } | null> {
  for (const kind of kinds) {
    const [user] = await db<(UserRow & { sent_at: Date | null })[]>`
      select u.*, ${db(kind.sentAt)} as sent_at from auth.users u where ${db(kind.column)} = ${tokenHash} for update`;
    if (!user) continue;
    // Used once: the token is cleared whether or not it was still valid.
    await db`update auth.users set ${db(kind.column)} = '' where id = ${user.id}`;
    if (!user.sent_at || user.sent_at.getTime() + expirySeconds * 1000 < Date.now()) {
      throw forbidden("otp_expired", LINK_INVALID);
    }
    const [confirmed] = await db<UserRow[]>`
      update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()), last_sign_in_at = now(),
        updated_at = now()
      where id = ${user.id} returning *`;
    return { user: confirmed!, amr: kind.amr };
  }
  return null;
}

/** POST /verify with a token_hash (or e-mail + token): redeem an e-mail link and start a session. */
export const verifyEndpoint: Handler = async (ctx, req) => {
  const p = await readJson(req, verifyBody);
  const kinds = VERIFY_TYPES[p.type ?? ""];
  if (!kinds) throw badRequest("validation_failed", "Verify requires a verification type");
  let tokenHash = p.token_hash ?? "";
  if (!tokenHash && p.token && p.email) tokenHash = emailTokenHash(validateEmail(p.email), p.token);
  if (!tokenHash) throw badRequest("validation_failed", "Verify requires either a token or a token hash");
  const result = await ctx.sql
    .begin(async (tx) => {
      const found = await redeem(tx, tokenHash, kinds, ctx.emailOtpExpirySeconds);
      if (!found) throw forbidden("otp_expired", LINK_INVALID);
      if (isBanned(found.user)) throw forbidden("user_banned", "User is banned");
      const started = await createSession(tx, found.user.id, clientInfo(req), found.amr);
      return { user: found.user, ...started };
    })
    .catch((err) => {
      // The refusal of an expired link must still consume it; a thrown error rolls back, so an
      // expired link is cleared in its own statement before answering.
      if (err instanceof AuthApiError && err.errorCode === "otp_expired") return clearToken(ctx, tokenHash, err);
      throw err;
    });
  return { status: 200, body: await sessionBody(ctx, result.user, result.session, result.refreshToken) };
};

async function clearToken(ctx: AuthContext, tokenHash: string, err: AuthApiError): Promise<never> {
  await ctx.sql`
    update auth.users set
      confirmation_token = case when confirmation_token = ${tokenHash} then '' else confirmation_token end,
      recovery_token = case when recovery_token = ${tokenHash} then '' else recovery_token end
    where confirmation_token = ${tokenHash} or recovery_token = ${tokenHash}`;
  throw err;
}
