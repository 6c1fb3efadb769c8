/**
 * The signed-in user's endpoints: GET /user, PUT /user and POST /logout.
 */
import { z } from "zod";
import type { Handler } from "./context";
import { AuthApiError, badRequest } from "./errors";
import { readJson } from "./http-io";
import { listFactors } from "./mfa-factors";
import { requireUser } from "./request-auth";
import { userJsonWithFactors } from "./session-response";
import { deleteSession, deleteUserSessions } from "./sessions";
import { hashPassword, lockUser, mergeMetadata, updateUser, type UserPatch } from "./users";
import { checkPasswordStrength } from "./validation";

const updateBody = z.object({
  password: z.string().optional(),
  data: z.record(z.string(), z.unknown()).nullish(),
  email: z.string().optional(),
  phone: z.string().optional(),
  nonce: z.string().optional(),
});

/** GET /user: the user behind the access token (refused once its session has ended). */
export const getUserEndpoint: Handler = async (ctx, req) => {
  const { user } = await requireUser(ctx, req);
  return { status: 200, body: await userJsonWithFactors(ctx.sql, user) };
};

/**
 * PUT /user: change the password and/or user metadata. As GoTrue: with a verified factor the
 * session must be aal2 to change the password, and a new password ends every other session.
 */
export const updateUserEndpoint: Handler = async (ctx, req) => {
  const { user, session } = await requireUser(ctx, req);
  const p = await readJson(req, updateBody);
  if (p.email !== undefined || p.phone !== undefined) {
    throw badRequest("validation_failed", "Changing the e-mail or phone is not emulated");
  }
  const patch: UserPatch = {};
  if (p.password !== undefined) {
    const verified = (await listFactors(ctx.sql, user.id)).some((f) => f.status === "verified");
    if (verified && session?.aal !== "aal2") {
      throw new AuthApiError(
        401,
        "insufficient_aal",
        "AAL2 session is required to update email or password when MFA is enabled.",
      );
    }
    checkPasswordStrength(p.password);
    patch.encryptedPassword = await hashPassword(p.password);
  }
  const updated = await ctx.sql.begin(async (tx) => {
    const current = await lockUser(tx, user.id);
    if (p.data) patch.userMetadata = mergeMetadata(current!.raw_user_meta_data, p.data);
    const row = await updateUser(tx, user.id, patch);
    if (patch.encryptedPassword && session) await deleteUserSessions(tx, user.id, session.id);
    return row;
  });
  return { status: 200, body: await userJsonWithFactors(ctx.sql, updated) };
};

/**
 * POST /logout?scope=global|local|others: end this session, every session of the user, or every
 * other one. Ending a session deletes its refresh tokens and makes /user refuse its access tokens.
 */
export const logoutEndpoint: Handler = async (ctx, req, url) => {
  const scope = url.searchParams.get("scope") ?? "";
  if (!["", "global", "local", "others"].includes(scope)) {
    throw badRequest("validation_failed", `Unsupported logout scope "${scope}"`);
  }
  const { user, session } = await requireUser(ctx, req);
  // A token without a session falls back to a global logout, as in GoTrue.
  if (session && scope === "local") await deleteSession(ctx.sql, session.id);
  else if (session && scope === "others") await deleteUserSessions(ctx.sql, user.id, session.id);
  else await ctx.sql.begin((tx) => deleteUserSessions(tx, user.id));
  return { status: 204 };
};
