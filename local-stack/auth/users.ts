/**
 * auth.users access for the emulator (and the demo seeder), with GoTrue's column conventions:
 * bcrypt (cost 10) in encrypted_password, `{"provider":"email","providers":["email"]}` app
 * metadata, the nil instance_id, aud and role "authenticated".
 */
import { randomBytes, randomUUID } from "node:crypto";
import bcrypt from "bcryptjs";
import type postgres from "postgres";

/** Anything that runs queries: the pool or a transaction. */
export type Db = postgres.ISql;

type Json = Record<string, unknown>;

/** One auth.users row as postgres.js returns it. */
export interface UserRow {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
  invited_at: Date | null;
  phone: string | null;
  phone_confirmed_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Json | null;
  raw_user_meta_data: Json | null;
  created_at: Date;
  updated_at: Date;
  banned_until: Date | null;
  deleted_at: Date | null;
  is_anonymous: boolean;
}

const NIL_UUID = "00000000-0000-0000-0000-000000000000";
const BCRYPT_COST = 10;

/** Hash a password the way GoTrue does (bcrypt, default cost 10). */
export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

let dummyHash: Promise<string> | undefined;

/**
 * Compare a password with a stored hash. Without a usable hash (unknown email, invited user)
 * a dummy hash is still compared, so a wrong email costs as long as a wrong password.
 */
export async function passwordMatches(password: string, hash: string | null | undefined): Promise<boolean> {
  if (hash && hash.startsWith("$2")) return bcrypt.compare(password, hash);
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  await bcrypt.compare(password, await dummyHash);
  return false;
}

/** True while banned_until lies in the future. */
export function isBanned(user: UserRow, now = new Date()): boolean {
  return user.banned_until !== null && user.banned_until.getTime() > now.getTime();
}

/**
 * JSON for a `${...}::text::jsonb` parameter. The text cast matters: postgres.js would otherwise see a
 * jsonb parameter and JSON-encode the string a second time.
 */
function jsonText(value: Json): string {
  return JSON.stringify(value);
}

const iso = (d: Date | null) => (d ? d.toISOString() : undefined);

/** The user object GoTrue returns (models.User JSON); null timestamps are omitted as in Go's omitempty. */
export function toUserJson(u: UserRow): Record<string, unknown> {
  const confirmedAt = u.email_confirmed_at ?? u.phone_confirmed_at;
  const json: Record<string, unknown> = {
    id: u.id,
    aud: u.aud ?? "",
    role: u.role ?? "",
    email: u.email ?? "",
    email_confirmed_at: iso(u.email_confirmed_at),
    invited_at: iso(u.invited_at),
    phone: u.phone ?? "",
    phone_confirmed_at: iso(u.phone_confirmed_at),
    confirmed_at: iso(confirmedAt),
    last_sign_in_at: iso(u.last_sign_in_at),
    app_metadata: u.raw_app_meta_data ?? {},
    user_metadata: u.raw_user_meta_data ?? {},
    // The emulator keeps no auth.identities table.
    identities: [],
    created_at: u.created_at.toISOString(),
    updated_at: u.updated_at.toISOString(),
    banned_until: iso(u.banned_until),
    deleted_at: iso(u.deleted_at),
    is_anonymous: u.is_anonymous,
  };
  for (const k of Object.keys(json)) if (json[k] === undefined) delete json[k];
  return json;
}

/** What a new auth.users row needs; unset fields take GoTrue's defaults. */
export interface NewUser {
  id?: string;
  email?: string | null;
  phone?: string | null;
  /** bcrypt hash, or "" for a user who cannot sign in with a password (e.g. invited). */
  encryptedPassword: string;
  emailConfirmed?: boolean;
  phoneConfirmed?: boolean;
  invited?: boolean;
  role?: string;
  userMetadata?: Json;
  /** Merged over the provider defaults, as GoTrue's UpdateAppMetaData does. */
  appMetadata?: Json;
  bannedUntil?: Date | null;
}

/** Insert a user row and return it. Unique violations (email, phone, id) propagate as PostgresError. */
export async function insertUser(db: Db, u: NewUser): Promise<UserRow> {
  const providers = [...(u.email ? ["email"] : []), ...(u.phone ? ["phone"] : [])];
  const appMeta = mergeMetadata({ provider: providers[0] ?? "email", providers }, u.appMetadata);
  const [row] = await db<UserRow[]>`
    insert into auth.users (
      instance_id, id, aud, role, email, phone, encrypted_password,
      email_confirmed_at, phone_confirmed_at, invited_at,
      raw_app_meta_data, raw_user_meta_data, banned_until, created_at, updated_at
    ) values (
      ${NIL_UUID}, ${u.id ?? randomUUID()}, 'authenticated', ${u.role ?? "authenticated"},
      ${u.email ?? null}, ${u.phone ?? null}, ${u.encryptedPassword},
      ${u.emailConfirmed ? new Date() : null}, ${u.phoneConfirmed ? new Date() : null},
      ${u.invited ? new Date() : null},
      ${jsonText(appMeta)}::text::jsonb, ${jsonText(u.userMetadata ?? {})}::text::jsonb,
      ${u.bannedUntil ?? null}, now(), now()
    )
    returning *`;
  return row!;
}

/**
 * Create a confirmed email/password user directly in auth.users (for seeding), with the email
 * lowercased as GoTrue stores it. Throws a PostgresError (code 23505) on a duplicate email, so
 * a re-run seeder should look the user up first (findUserByEmail).
 */
export async function createUser(
  sql: Db,
  input: { email: string; password: string; userMetadata?: Json; appMetadata?: Json },
): Promise<{ id: string }> {
  const row = await insertUser(sql, {
    email: input.email.trim().toLowerCase(),
    encryptedPassword: await hashPassword(input.password),
    emailConfirmed: true,
    userMetadata: input.userMetadata,
    appMetadata: input.appMetadata,
  });
  return { id: row.id };
}

/** The user with this id, or null. */
export async function findUserById(db: Db, id: string): Promise<UserRow | null> {
  const [row] = await db<UserRow[]>`select * from auth.users where id = ${id}`;
  return row ?? null;
}

/** The (non-SSO) user with this email, case-insensitively, or null. */
export async function findUserByEmail(db: Db, email: string): Promise<UserRow | null> {
  const [row] = await db<UserRow[]>`
    select * from auth.users where lower(email) = lower(${email}) and is_sso_user = false`;
  return row ?? null;
}

/** Lock and return a user row inside a transaction (read-modify-write of metadata). */
export async function lockUser(db: Db, id: string): Promise<UserRow | null> {
  const [row] = await db<UserRow[]>`select * from auth.users where id = ${id} for update`;
  return row ?? null;
}

/** One page of users, newest first (GoTrue's default sort), and the total count. */
export async function listUsers(db: Db, page: number, perPage: number): Promise<{ users: UserRow[]; total: number }> {
  const users = await db<UserRow[]>`
    select * from auth.users order by created_at desc, id limit ${perPage} offset ${(page - 1) * perPage}`;
  const [count] = await db<{ n: number }[]>`select count(*)::int as n from auth.users`;
  return { users: [...users], total: count?.n ?? 0 };
}

/** Record a successful sign-in and return the updated row. */
export async function touchLastSignIn(db: Db, id: string): Promise<UserRow> {
  const [row] = await db<UserRow[]>`
    update auth.users set last_sign_in_at = now(), updated_at = now() where id = ${id} returning *`;
  return row!;
}

/** Every column an admin update may change; undefined leaves a column as it is. */
export interface UserPatch {
  email?: string;
  phone?: string;
  encryptedPassword?: string;
  confirmEmail?: boolean;
  confirmPhone?: boolean;
  role?: string;
  appMetadata?: Json;
  userMetadata?: Json;
  /** null lifts a ban. */
  bannedUntil?: Date | null;
}

/** Apply a patch to a user and return the updated row. */
export async function updateUser(db: Db, id: string, p: UserPatch): Promise<UserRow> {
  const [row] = await db<UserRow[]>`
    update auth.users set
      email = coalesce(${p.email ?? null}, email),
      phone = coalesce(${p.phone ?? null}, phone),
      encrypted_password = coalesce(${p.encryptedPassword ?? null}, encrypted_password),
      email_confirmed_at = case when ${p.confirmEmail === true} then coalesce(email_confirmed_at, now()) else email_confirmed_at end,
      phone_confirmed_at = case when ${p.confirmPhone === true} then coalesce(phone_confirmed_at, now()) else phone_confirmed_at end,
      role = coalesce(${p.role ?? null}, role),
      raw_app_meta_data = coalesce(${p.appMetadata ? jsonText(p.appMetadata) : null}::text::jsonb, raw_app_meta_data),
      raw_user_meta_data = coalesce(${p.userMetadata ? jsonText(p.userMetadata) : null}::text::jsonb, raw_user_meta_data),
      banned_until = case when ${p.bannedUntil !== undefined} then ${p.bannedUntil ?? null}::timestamptz else banned_until end,
      updated_at = now()
    where id = ${id}
    returning *`;
  return row!;
}

/**
 * GoTrue's metadata update: top-level keys are replaced, a null value removes the key.
 */
export function mergeMetadata(current: Json | null, updates: Json | undefined): Json {
  const merged: Json = { ...(current ?? {}) };
  for (const [k, v] of Object.entries(updates ?? {})) {
    if (v === null) delete merged[k];
    else merged[k] = v;
  }
  return merged;
}

/** Delete a user; sessions and refresh tokens go with it (foreign keys cascade). */
export async function deleteUser(db: Db, id: string): Promise<void> {
  await db`delete from auth.users where id = ${id}`;
}

/**
 * GoTrue's soft delete: the row stays (so app rows referencing it survive) but it can no longer
 * sign in, its email and phone are released, and its sessions end.
 */
export async function softDeleteUser(db: Db, id: string): Promise<void> {
  await db`
    update auth.users set deleted_at = now(), email = null, phone = null, encrypted_password = '',
      raw_app_meta_data = '{}'::jsonb, raw_user_meta_data = '{}'::jsonb, updated_at = now()
    where id = ${id} and deleted_at is null`;
  await db`delete from auth.sessions where user_id = ${id}`;
}
