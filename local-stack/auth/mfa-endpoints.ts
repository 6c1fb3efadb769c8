/**
 * GoTrue's MFA API for TOTP factors (mfa.go): enroll, challenge, verify, unenroll. supabase-js's
 * unmodified `auth.mfa.*` calls work against it. Verifying a code raises the session to aal2 and
 * adds `totp` to its `amr`; the first verification of a new factor ends the user's other sessions
 * below aal2, and a verified factor can only be removed from an aal2 session, as in GoTrue.
 */
import { generateSecret, generateURI, verifySync } from "otplib";
import QRCode from "qrcode";
import { z } from "zod";
import type { Handler } from "./context";
import { AuthApiError, badRequest, notFound, unprocessable } from "./errors";
import { readJson } from "./http-io";
import {
  deleteFactor,
  findFactor,
  insertChallenge,
  insertTotpFactor,
  listFactors,
  lockChallenge,
  markChallengeVerified,
  markFactorVerified,
} from "./mfa-factors";
import { isUuid, requireUser } from "./request-auth";
import { sessionBody } from "./session-response";
import {
  addAmrClaim,
  deleteSessionsBelowAal2,
  findActiveRefreshToken,
  lockSession,
  setSessionAal,
  swapRefreshToken,
} from "./sessions";
import { clientInfo } from "./token-grants";

/** GoTrue's mfa.challenge_expiry_duration default. */
const CHALLENGE_EXPIRY_SECONDS = 300;
const MAX_ENROLLED_FACTORS = 10;

const enrollBody = z.object({
  factor_type: z.string().optional(),
  friendly_name: z.string().optional(),
  issuer: z.string().optional(),
});
const verifyBody = z.object({ challenge_id: z.string().optional(), code: z.string().optional() });

const insufficientAal = (what: string) => new AuthApiError(422, "insufficient_aal", `AAL2 required to ${what}`);
const factorNotFound = () => notFound("mfa_factor_not_found", "Factor not found");

/** POST /factors: enroll a TOTP factor; answers the secret, the otpauth URI and an SVG QR code. */
export const enrollEndpoint: Handler = async (ctx, req) => {
  const { user, session } = await requireUser(ctx, req);
  const p = await readJson(req, enrollBody);
  if (p.factor_type !== "totp") {
    throw badRequest("validation_failed", "factor_type needs to be totp (the only type enabled)");
  }
  const factors = await listFactors(ctx.sql, user.id);
  if (factors.some((f) => f.status === "verified") && session?.aal !== "aal2") {
    throw insufficientAal("enroll new factors");
  }
  if (factors.length >= MAX_ENROLLED_FACTORS) {
    throw unprocessable(
      "too_many_enrolled_mfa_factors",
      "Maximum number of verified factors reached, unenroll to continue",
    );
  }
  const friendlyName = p.friendly_name ?? "";
  if (friendlyName && factors.some((f) => f.friendly_name === friendlyName)) {
    throw unprocessable(
      "mfa_factor_name_conflict",
      `A factor with the friendly name "${friendlyName}" for this user already exists`,
    );
  }
  const issuer = p.issuer || new URL(ctx.siteUrl).hostname;
  const secret = generateSecret();
  const uri = generateURI({ issuer, label: user.email ?? user.id, secret });
  const factor = await insertTotpFactor(ctx.sql, user.id, friendlyName, secret);
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 1 });
  return {
    status: 200,
    body: {
      id: factor.id,
      type: "totp",
      friendly_name: friendlyName,
      totp: { qr_code: svg, secret, uri },
    },
  };
};

/** POST /factors/:id/challenge */
export const challengeEndpoint: Handler = async (ctx, req, _url, [factorId]) => {
  const { user } = await requireUser(ctx, req);
  const factor = factorId && isUuid(factorId) ? await findFactor(ctx.sql, user.id, factorId) : null;
  if (!factor) throw factorNotFound();
  const challenge = await insertChallenge(ctx.sql, factor.id, clientInfo(req).ip);
  return {
    status: 200,
    body: {
      id: challenge.id,
      type: "totp",
      expires_at: Math.floor(challenge.created_at.getTime() / 1000) + CHALLENGE_EXPIRY_SECONDS,
    },
  };
};

/** POST /factors/:id/verify: answer a challenge with a TOTP code; a new aal2 session token. */
export const verifyFactorEndpoint: Handler = async (ctx, req, _url, [factorId]) => {
  const { user, session } = await requireUser(ctx, req);
  if (!session) throw new AuthApiError(401, "no_authorization", "A session is required to verify a factor");
  const p = await readJson(req, verifyBody);
  const factor = factorId && isUuid(factorId) ? await findFactor(ctx.sql, user.id, factorId) : null;
  if (!factor || !factor.secret) throw factorNotFound();
  const challengeId = p.challenge_id ?? "";
  if (!isUuid(challengeId)) throw unprocessable("mfa_challenge_expired", "MFA challenge not found");

  const outcome = await ctx.sql.begin(async (tx) => {
    const challenge = await lockChallenge(tx, factor.id, challengeId);
    if (!challenge || challenge.verified_at) {
      throw unprocessable(
        "mfa_challenge_expired",
        `MFA challenge ${challengeId} has expired, verify against another challenge or create a new challenge.`,
      );
    }
    if (challenge.created_at.getTime() + CHALLENGE_EXPIRY_SECONDS * 1000 < Date.now()) {
      throw unprocessable(
        "mfa_challenge_expired",
        `MFA challenge ${challengeId} has expired, verify against another challenge or create a new challenge.`,
      );
    }
    // One 30-second step of clock skew either way, as GoTrue allows.
    const code = (p.code ?? "").trim();
    const ok = /^\d{6}$/.test(code) && verifySync({ secret: factor.secret!, token: code, epochTolerance: 30 }).valid;
    if (!ok) return { ok: false as const };
    await markChallengeVerified(tx, challenge.id);
    if (factor.status !== "verified") {
      await markFactorVerified(tx, factor.id);
      await deleteSessionsBelowAal2(tx, user.id, session.id);
    }
    await setSessionAal(tx, session.id, "aal2", factor.id);
    await addAmrClaim(tx, session.id, "totp");
    const locked = await lockSession(tx, session.id);
    const active = await findActiveRefreshToken(tx, session.id);
    const refreshToken = active ? await swapRefreshToken(tx, active) : "";
    return { ok: true as const, session: locked!, refreshToken };
  });
  if (!outcome.ok) throw unprocessable("mfa_verification_failed", "Invalid TOTP code entered");
  return { status: 200, body: await sessionBody(ctx, user, outcome.session, outcome.refreshToken) };
};

/** DELETE /factors/:id: a verified factor only from an aal2 session; the session drops to aal1. */
export const unenrollEndpoint: Handler = async (ctx, req, _url, [factorId]) => {
  const { user, session } = await requireUser(ctx, req);
  const factor = factorId && isUuid(factorId) ? await findFactor(ctx.sql, user.id, factorId) : null;
  if (!factor) throw factorNotFound();
  if (factor.status === "verified" && session?.aal !== "aal2") throw insufficientAal("unenroll a verified factor");
  await ctx.sql.begin(async (tx) => {
    await deleteFactor(tx, factor.id);
    const left = (await listFactors(tx, user.id)).some((f) => f.status === "verified");
    if (session && factor.status === "verified" && !left) await setSessionAal(tx, session.id, "aal1", null);
  });
  return { status: 200, body: { id: factor.id } };
};
