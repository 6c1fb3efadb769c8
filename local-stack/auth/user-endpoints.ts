/**
 * The signed-in user's endpoints: GET /user and POST /logout.
 */
import type { Handler } from "./context";
import { badRequest } from "./errors";
import { requireUser } from "./request-auth";
import { deleteSession, deleteUserSessions } from "./sessions";
import { toUserJson } from "./users";

/** GET /user: the user behind the access token (refused once its session has ended). */
export const getUserEndpoint: Handler = async (ctx, req) => {
  const { user } = await requireUser(ctx, req);
  return { status: 200, body: toUserJson(user) };
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
