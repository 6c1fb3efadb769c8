/**
 * The admin API (service-role key only): /admin/users CRUD, as GoTrue's admin.go answers it
 * (/invite lives with the other e-mail flows in email-endpoints.ts).
 */
import { z } from "zod";
import type { AuthContext, Handler } from "./context";
import { AuthApiError, badRequest, notFound, unprocessable } from "./errors";
import { readJson } from "./http-io";
import { isUuid, requireAdmin } from "./request-auth";
import {
  deleteUser,
  findUserByEmail,
  findUserById,
  hashPassword,
  insertUser,
  listUsers,
  lockUser,
  mergeMetadata,
  softDeleteUser,
  toUserJson,
  updateUser,
  type UserPatch,
  type UserRow,
} from "./users";
import { banUntil, checkPasswordLength, checkPasswordStrength, validateEmail, validatePhone } from "./validation";

const DUPLICATE_EMAIL = "A user with this email address has already been registered";
const metadata = z.record(z.string(), z.unknown()).nullish();

const adminUserBody = z.object({
  id: z.string().optional(),
  role: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  password: z.string().nullish(),
  password_hash: z.string().optional(),
  email_confirm: z.boolean().optional(),
  phone_confirm: z.boolean().optional(),
  user_metadata: metadata,
  app_metadata: metadata,
  ban_duration: z.string().optional(),
});
const deleteBody = z.object({ should_soft_delete: z.boolean().optional() });

/** Map unique violations on auth.users to GoTrue's 422s; anything else is a 500. */
function uniqueViolation(err: unknown): never {
  const e = err as { code?: string; constraint_name?: string };
  if (e.code === "23505" && e.constraint_name === "users_email_partial_key") {
    throw unprocessable("email_exists", DUPLICATE_EMAIL);
  }
  if (e.code === "23505" && e.constraint_name === "users_phone_key") {
    throw unprocessable("phone_exists", "Phone number already registered by another user");
  }
  if (e.code === "23505" && e.constraint_name === "users_pkey") {
    throw unprocessable("user_already_exists", "User already registered");
  }
  throw err;
}

/** The :id path parameter's user, or GoTrue's 404s. */
async function loadUser(ctx: AuthContext, id: string | undefined): Promise<UserRow> {
  if (!id || !isUuid(id)) throw notFound("validation_failed", "user_id must be an UUID");
  const user = await findUserById(ctx.sql, id);
  if (!user) throw notFound("user_not_found", "User not found");
  return user;
}

/** GET /admin/users?page&per_page: newest first, with GoTrue's X-Total-Count and Link headers. */
export const listUsersEndpoint: Handler = async (ctx, req, url) => {
  await requireAdmin(ctx, req);
  const int = (name: string, fallback: number) => {
    const raw = url.searchParams.get(name) ?? "";
    if (raw === "") return fallback;
    if (!/^\d+$/.test(raw)) throw badRequest("validation_failed", `Bad Pagination Parameters: invalid ${name}`);
    return Math.max(1, Number(raw));
  };
  const page = int("page", 1);
  const perPage = int("per_page", 50);
  const { users, total } = await listUsers(ctx.sql, page, perPage);
  const lastPage = Math.ceil(total / perPage);
  // supabase-js reads the page number right after the first "=", so `page` must come first.
  const link = (p: number, rel: string) => `</auth/v1/admin/users?page=${p}&per_page=${perPage}>; rel="${rel}"`;
  const links = [...(page < lastPage ? [link(page + 1, "next")] : []), link(lastPage, "last")];
  return {
    status: 200,
    body: { users: users.map(toUserJson), aud: "authenticated" },
    headers: { "X-Total-Count": String(total), Link: links.join(", ") },
  };
};

/** POST /admin/users: create a user (confirmed only when email_confirm / phone_confirm say so). */
export const createUserEndpoint: Handler = async (ctx, req) => {
  await requireAdmin(ctx, req);
  const p = await readJson(req, adminUserBody);
  if (!p.email && !p.phone)
    throw badRequest("validation_failed", "Cannot create a user without either an email or phone");
  const email = p.email ? validateEmail(p.email) : null;
  const phone = p.phone ? validatePhone(p.phone) : null;
  if (email && (await findUserByEmail(ctx.sql, email))) throw unprocessable("email_exists", DUPLICATE_EMAIL);
  if (p.password && p.password_hash) {
    throw badRequest("validation_failed", "Only a password or a password hash should be provided");
  }
  if (p.id !== undefined && !isUuid(p.id))
    throw badRequest("validation_failed", "ID must conform to the uuid v4 format");
  let encryptedPassword = "";
  if (p.password_hash) {
    if (!/^\$2[aby]\$\d{2}\$/.test(p.password_hash))
      throw badRequest("validation_failed", "Invalid password hash format");
    encryptedPassword = p.password_hash;
  } else if (p.password) {
    checkPasswordLength(p.password);
    encryptedPassword = await hashPassword(p.password);
  }
  const user = await insertUser(ctx.sql, {
    id: p.id,
    email,
    phone,
    encryptedPassword,
    emailConfirmed: p.email_confirm === true,
    phoneConfirmed: p.phone_confirm === true,
    role: p.role || undefined,
    userMetadata: p.user_metadata ?? undefined,
    appMetadata: p.app_metadata ?? undefined,
    bannedUntil: p.ban_duration ? banUntil(p.ban_duration) : null,
  }).catch(uniqueViolation);
  return { status: 200, body: toUserJson(user) };
};

/** GET /admin/users/:id */
export const getUserByIdEndpoint: Handler = async (ctx, req, _url, [id]) => {
  await requireAdmin(ctx, req);
  return { status: 200, body: toUserJson(await loadUser(ctx, id)) };
};

/** PUT /admin/users/:id: metadata is merged key by key (null removes a key), as in GoTrue. */
export const updateUserEndpoint: Handler = async (ctx, req, _url, [id]) => {
  await requireAdmin(ctx, req);
  await loadUser(ctx, id);
  const p = await readJson(req, adminUserBody);
  const patch: UserPatch = {
    email: p.email ? validateEmail(p.email) : undefined,
    phone: p.phone ? validatePhone(p.phone) : undefined,
    confirmEmail: p.email_confirm,
    confirmPhone: p.phone_confirm,
    role: p.role || undefined,
    bannedUntil: p.ban_duration ? banUntil(p.ban_duration) : undefined,
  };
  if (p.password != null) {
    checkPasswordStrength(p.password);
    patch.encryptedPassword = await hashPassword(p.password);
  }
  const user = await ctx.sql
    .begin(async (tx) => {
      const current = await lockUser(tx, id!);
      if (!current) throw notFound("user_not_found", "User not found");
      if (p.app_metadata) patch.appMetadata = mergeMetadata(current.raw_app_meta_data, p.app_metadata);
      if (p.user_metadata) patch.userMetadata = mergeMetadata(current.raw_user_meta_data, p.user_metadata);
      return updateUser(tx, id!, patch);
    })
    .catch(uniqueViolation);
  return { status: 200, body: toUserJson(user) };
};

/** DELETE /admin/users/:id, hard by default or soft with should_soft_delete. */
export const deleteUserEndpoint: Handler = async (ctx, req, _url, [id]) => {
  await requireAdmin(ctx, req);
  const user = await loadUser(ctx, id);
  const { should_soft_delete: soft } = await readJson(req, deleteBody);
  try {
    if (soft) await ctx.sql.begin((tx) => softDeleteUser(tx, user.id));
    else await deleteUser(ctx.sql, user.id);
  } catch (err) {
    // e.g. an app table references the user without ON DELETE CASCADE.
    if (err instanceof AuthApiError) throw err;
    throw new AuthApiError(500, "unexpected_failure", "Database error deleting user");
  }
  return { status: 200, body: {} };
};
