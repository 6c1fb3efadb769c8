/**
 * Contract tests of the Auth API emulator through the real supabase-js client: the app relies on
 * these answers being GoTrue's.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createClient, type Session, type WebSocketLikeConstructor } from "@supabase/supabase-js";
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { startAuthEmulator } from "./server";
import { createUser } from "./users";

const URL_ = process.env.NEXT_PUBLIC_SUPABASE_URL!;
const ANON_KEY = process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!;
const SERVICE_KEY = process.env.SUPABASE_SERVICE_ROLE_KEY!;
const DATABASE_URL = process.env.DATABASE_URL!;
const PASSWORD = "correct horse battery staple";
/**
 * supabase-js builds its Realtime client eagerly and, on Node 20 (no global WebSocket), throws
 * unless given a transport. These tests never open a socket.
 */
class NoWebSocket {
  constructor() {
    throw new Error("Realtime is not used by the auth emulator tests");
  }
}
const clientOptions = {
  auth: { persistSession: false, autoRefreshToken: false },
  realtime: { transport: NoWebSocket as unknown as WebSocketLikeConstructor },
};

const anonClient = (url = URL_, key = ANON_KEY) => createClient(url, key, clientOptions);
const admin = createClient(URL_, SERVICE_KEY, clientOptions);
const uniqueEmail = () => `user-${randomUUID()}@example.test`;

const sql = postgres(DATABASE_URL, { max: 2, onnotice: () => {} });
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await sql.end();
});

async function newUser(extra: Record<string, unknown> = {}) {
  const email = uniqueEmail();
  const { data, error } = await admin.auth.admin.createUser({
    email,
    password: PASSWORD,
    email_confirm: true,
    ...extra,
  });
  expect(error).toBeNull();
  return { id: data.user!.id, email };
}

async function signIn(email: string, url = URL_): Promise<Session> {
  const { data, error } = await anonClient(url).auth.signInWithPassword({ email, password: PASSWORD });
  expect(error).toBeNull();
  return data.session!;
}

/** GET /user with a raw access token, to see GoTrue's status and error code. */
async function rawGetUser(accessToken: string, url = URL_) {
  const res = await fetch(`${url}/auth/v1/user`, {
    headers: { apikey: ANON_KEY, Authorization: `Bearer ${accessToken}`, "X-Supabase-Api-Version": "2024-01-01" },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function refresh(refreshToken: string, url = URL_) {
  return anonClient(url).auth.refreshSession({ refresh_token: refreshToken });
}

/** A second emulator on a free port with its own signing key folder. */
async function extraEmulator(options: { accessTokenTtlSeconds?: number; stateDir?: string; now?: () => Date } = {}) {
  const stateDir = options.stateDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), "auth-emulator-")));
  const emulator = await startAuthEmulator({
    port: 0,
    databaseUrl: DATABASE_URL,
    stateDir,
    anonKey: ANON_KEY,
    serviceRoleKey: SERVICE_KEY,
    log: () => {},
    siteUrl: "http://localhost:3000",
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
    now: options.now,
  });
  return { ...emulator, stateDir };
}

describe("admin users", () => {
  it("creates a user with GoTrue's user shape and refuses a duplicate email", async () => {
    const email = uniqueEmail();
    const { data, error } = await admin.auth.admin.createUser({
      email: email.toUpperCase(),
      password: PASSWORD,
      email_confirm: true,
      user_metadata: { full_name: "Ada" },
      app_metadata: { tenant: "t1" },
    });
    expect(error).toBeNull();
    const user = data.user!;
    expect(user).toMatchObject({
      aud: "authenticated",
      role: "authenticated",
      email,
      phone: "",
      app_metadata: { provider: "email", providers: ["email"], tenant: "t1" },
      user_metadata: { full_name: "Ada" },
      identities: [],
      is_anonymous: false,
    });
    expect(user.email_confirmed_at).toBeTruthy();
    expect(user.confirmed_at).toBe(user.email_confirmed_at);
    expect(user.last_sign_in_at).toBeUndefined();

    const [row] = await sql`select encrypted_password from auth.users where id = ${user.id}`;
    expect(row!.encrypted_password).toMatch(/^\$2[aby]\$10\$/);

    const dup = await admin.auth.admin.createUser({ email, password: PASSWORD });
    expect(dup.data.user).toBeNull();
    expect(dup.error).toMatchObject({ status: 422, code: "email_exists" });
  });

  it("gets, lists, updates (merging metadata) and deletes users", async () => {
    const { id, email } = await newUser({ user_metadata: { a: 1, b: 2 } });
    const got = await admin.auth.admin.getUserById(id);
    expect(got.data.user).toMatchObject({ id, email });

    const missing = await admin.auth.admin.getUserById(randomUUID());
    expect(missing.error).toMatchObject({ status: 404, code: "user_not_found" });

    await newUser();
    const page = await admin.auth.admin.listUsers({ page: 1, perPage: 1 });
    expect(page.error).toBeNull();
    const listed = page.data as { users: unknown[]; aud?: string; total?: number; nextPage?: number | null };
    expect(listed.users).toHaveLength(1);
    expect(listed.aud).toBe("authenticated");
    expect(listed.total).toBeGreaterThanOrEqual(2);
    expect(listed.nextPage).toBe(2);

    const updated = await admin.auth.admin.updateUserById(id, { user_metadata: { b: null, c: 3 } });
    expect(updated.error).toBeNull();
    expect(updated.data.user!.user_metadata).toEqual({ a: 1, c: 3 });

    const weak = await admin.auth.admin.updateUserById(id, { password: "123" });
    expect(weak.error).toMatchObject({ status: 422, code: "weak_password" });

    const session = await signIn(email);
    const deleted = await admin.auth.admin.deleteUser(id);
    expect(deleted.error).toBeNull();
    expect((await admin.auth.admin.getUserById(id)).error).toMatchObject({ status: 404 });
    // The user's sessions went with it.
    expect((await rawGetUser(session.access_token)).body.code).toBe("user_not_found");
    expect((await refresh(session.refresh_token)).error).toMatchObject({ status: 400 });
  });

  it("refuses the admin API to anything but the service-role key", async () => {
    const { email } = await newUser();
    const session = await signIn(email);
    const asUser = createClient(URL_, ANON_KEY, {
      ...clientOptions,
      global: { headers: { Authorization: `Bearer ${session.access_token}` } },
    });
    const r1 = await asUser.auth.admin.listUsers();
    expect(r1.error).toMatchObject({ status: 403, code: "not_admin", message: "User not allowed" });
    const r2 = await anonClient().auth.admin.createUser({ email: uniqueEmail(), password: PASSWORD });
    expect(r2.error).toMatchObject({ status: 403, code: "not_admin" });
  });

  it("invites a user who has no password yet", async () => {
    const email = uniqueEmail();
    const { data, error } = await admin.auth.admin.inviteUserByEmail(email, { data: { invited_by: "test" } });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ email, user_metadata: { invited_by: "test" } });
    expect(data.user!.invited_at).toBeTruthy();
    expect(data.user!.email_confirmed_at).toBeUndefined();
    const signInTry = await anonClient().auth.signInWithPassword({ email, password: "" });
    expect(signInTry.error).toMatchObject({ status: 400, code: "invalid_credentials" });
  });

  it("bans a user: sign-in and existing tokens are refused", async () => {
    const { id, email } = await newUser();
    const session = await signIn(email);
    const banned = await admin.auth.admin.updateUserById(id, { ban_duration: "24h" });
    expect(banned.data.user!.banned_until).toBeTruthy();
    const r = await anonClient().auth.signInWithPassword({ email, password: PASSWORD });
    expect(r.error).toMatchObject({ status: 400, code: "user_banned" });
    expect((await rawGetUser(session.access_token)).body.code).toBe("user_banned");
    expect((await refresh(session.refresh_token)).error).toMatchObject({ code: "user_banned" });
  });
});

describe("password sign-in", () => {
  it("answers a GoTrue session and records the sign-in", async () => {
    const { id, email } = await newUser();
    const { data, error } = await anonClient().auth.signInWithPassword({
      email: email.toUpperCase(),
      password: PASSWORD,
    });
    expect(error).toBeNull();
    const s = data.session!;
    expect(s.token_type).toBe("bearer");
    expect(s.expires_in).toBe(3600);
    expect(s.expires_at).toBe(decodeJwt(s.access_token).exp);
    expect(s.refresh_token).toEqual(expect.any(String));
    expect(s.user.id).toBe(id);
    expect(s.user.last_sign_in_at).toBeTruthy();
  });

  it("gives the same answer for a wrong password and an unknown email", async () => {
    const { email } = await newUser();
    const wrong = await anonClient().auth.signInWithPassword({ email, password: "not the password" });
    const unknown = await anonClient().auth.signInWithPassword({ email: uniqueEmail(), password: PASSWORD });
    for (const r of [wrong, unknown]) {
      expect(r.data.session).toBeNull();
      expect(r.error).toMatchObject({ status: 400, code: "invalid_credentials", message: "Invalid login credentials" });
    }
  });

  it("refuses an unconfirmed email", async () => {
    const email = uniqueEmail();
    await admin.auth.admin.createUser({ email, password: PASSWORD });
    const r = await anonClient().auth.signInWithPassword({ email, password: PASSWORD });
    expect(r.error).toMatchObject({ status: 400, code: "email_not_confirmed" });
  });

  it("signs in a user made by the seeding helper", async () => {
    const email = uniqueEmail();
    const { id } = await createUser(sql, { email, password: PASSWORD, userMetadata: { seeded: true } });
    const session = await signIn(email);
    expect(session.user).toMatchObject({ id, user_metadata: { seeded: true } });
  });
});

describe("access tokens", () => {
  it("getUser returns the user; a forged token is refused with bad_jwt", async () => {
    const { id, email } = await newUser();
    const session = await signIn(email);
    const { data, error } = await anonClient().auth.getUser(session.access_token);
    expect(error).toBeNull();
    expect(data.user!.id).toBe(id);

    const [h, p] = session.access_token.split(".");
    const forged = `${h}.${p}.${Buffer.from("x".repeat(64)).toString("base64url")}`;
    const bad = await anonClient().auth.getUser(forged);
    expect(bad.error).toMatchObject({ status: 403, code: "bad_jwt" });
  });

  it("are ES256 JWTs with Supabase's claims, verifiable through the JWKS", async () => {
    const { id, email } = await newUser();
    const session = await signIn(email);
    const jwks = createRemoteJWKSet(new URL(`${URL_}/auth/v1/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(session.access_token, jwks, {
      issuer: `${URL_}/auth/v1`,
      audience: "authenticated",
    });
    expect(protectedHeader).toMatchObject({ alg: "ES256", typ: "JWT", kid: expect.any(String) });
    expect(payload).toMatchObject({
      sub: id,
      email,
      phone: "",
      role: "authenticated",
      aal: "aal1",
      is_anonymous: false,
      app_metadata: { provider: "email", providers: ["email"] },
      user_metadata: {},
      session_id: expect.any(String),
      amr: [{ method: "password", timestamp: expect.any(Number) }],
    });
    const res = await fetch(`${URL_}/auth/v1/.well-known/jwks.json`);
    const { keys } = (await res.json()) as { keys: Array<Record<string, unknown>> };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig", key_ops: ["verify"] });
    expect(keys[0]).not.toHaveProperty("d");
  });

  it("work with supabase-js getClaims()", async () => {
    const { id, email } = await newUser();
    const client = anonClient();
    await client.auth.signInWithPassword({ email, password: PASSWORD });
    const { data, error } = await client.auth.getClaims();
    expect(error).toBeNull();
    expect(data!.claims.sub).toBe(id);
    expect(data!.header.alg).toBe("ES256");
  });

  it("are refused once expired", async () => {
    // The emulator's clock stands still and is moved past the token's lifetime instead of waiting
    // for it, so no check depends on how fast a loaded machine answers.
    const start = Date.now();
    let clock = start;
    const emulator = await extraEmulator({ accessTokenTtlSeconds: 60, now: () => new Date(clock) });
    cleanups.push(() => emulator.stop());
    const { email } = await newUser();
    const session = await signIn(email, emulator.url);
    expect(session.expires_in).toBe(60);
    expect(decodeJwt(session.access_token).exp! - decodeJwt(session.access_token).iat!).toBe(60);
    expect((await rawGetUser(session.access_token, emulator.url)).status).toBe(200);
    clock = start + 58_000;
    expect((await rawGetUser(session.access_token, emulator.url)).status).toBe(200);
    clock = start + 61_000;
    const r = await rawGetUser(session.access_token, emulator.url);
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ code: "bad_jwt", message: expect.stringContaining("expired") });
    // The refresh token still works and yields a fresh access token, valid at the moved clock.
    const refreshed = await refresh(session.refresh_token, emulator.url);
    expect((await rawGetUser(refreshed.data.session!.access_token, emulator.url)).status).toBe(200);
  });

  it("stay valid across a restart: the signing key is persisted with mode 0600", async () => {
    const first = await extraEmulator();
    const { email } = await newUser();
    const session = await signIn(email, first.url);
    await first.stop();
    const second = await extraEmulator({ stateDir: first.stateDir });
    cleanups.push(() => second.stop());
    expect((await rawGetUser(session.access_token, second.url)).status).toBe(200);
    const stat = await fs.stat(path.join(first.stateDir, "auth-signing-key.json"));
    expect(stat.mode & 0o777).toBe(0o600);
    // A token from another key (the shared test emulator) is not accepted.
    const other = await signIn(email);
    expect(decodeProtectedHeader(other.access_token).kid).not.toBe(decodeProtectedHeader(session.access_token).kid);
    expect((await rawGetUser(other.access_token, second.url)).body.code).toBe("bad_jwt");
  });
});

describe("refresh tokens", () => {
  it("rotate: each refresh issues a new token whose access token works", async () => {
    const { id, email } = await newUser();
    const s1 = await signIn(email);
    const r = await refresh(s1.refresh_token);
    expect(r.error).toBeNull();
    const s2 = r.data.session!;
    expect(s2.refresh_token).not.toBe(s1.refresh_token);
    expect(s2.user.id).toBe(id);
    expect(decodeJwt(s2.access_token).session_id).toBe(decodeJwt(s1.access_token).session_id);
    expect((await rawGetUser(s2.access_token)).status).toBe(200);

    const [t1] = await sql`select revoked from auth.refresh_tokens where token = ${s1.refresh_token}`;
    const [t2] = await sql`select revoked, parent from auth.refresh_tokens where token = ${s2.refresh_token}`;
    expect(t1!.revoked).toBe(true);
    expect(t2).toMatchObject({ revoked: false, parent: s1.refresh_token });
  });

  it("re-presenting the parent of the current token returns the current token (GoTrue)", async () => {
    const { email } = await newUser();
    const s1 = await signIn(email);
    const s2 = (await refresh(s1.refresh_token)).data.session!;
    const again = await refresh(s1.refresh_token);
    expect(again.error).toBeNull();
    expect(again.data.session!.refresh_token).toBe(s2.refresh_token);
  });

  it("concurrent refreshes with one token get the same new token", async () => {
    const { email } = await newUser();
    const s1 = await signIn(email);
    const results = await Promise.all([
      refresh(s1.refresh_token),
      refresh(s1.refresh_token),
      refresh(s1.refresh_token),
    ]);
    for (const r of results) expect(r.error).toBeNull();
    expect(new Set(results.map((r) => r.data.session!.refresh_token)).size).toBe(1);
  });

  it("reuse of an older token revokes the whole family, as GoTrue does (the session row stays)", async () => {
    const { email } = await newUser();
    const s1 = await signIn(email);
    const s2 = (await refresh(s1.refresh_token)).data.session!;
    const s3 = (await refresh(s2.refresh_token)).data.session!;

    const reuse = await refresh(s1.refresh_token);
    expect(reuse.data.session).toBeNull();
    expect(reuse.error).toMatchObject({
      status: 400,
      code: "refresh_token_already_used",
      message: "Invalid Refresh Token: Already Used",
    });

    // Every token of the family is revoked, the newest included; it can no longer refresh.
    const sessionId = decodeJwt(s3.access_token).session_id as string;
    const tokens = await sql`select revoked from auth.refresh_tokens where session_id = ${sessionId}`;
    expect(tokens.length).toBe(3);
    expect(tokens.every((t) => t.revoked)).toBe(true);
    const newest = await refresh(s3.refresh_token);
    expect(newest.error).toMatchObject({ status: 400, code: "refresh_token_already_used" });
    // GoTrue (v1 refresh tokens) keeps the session row, so the Auth server still accepts the
    // session's unexpired access token: recalling it is the app's job (private.session_is_active).
    expect(await sql`select 1 from auth.sessions where id = ${sessionId}`).toHaveLength(1);
    expect((await rawGetUser(s3.access_token)).status).toBe(200);
  });

  it("an unknown token is refresh_token_not_found", async () => {
    const r = await refresh("no-such-token");
    expect(r.error).toMatchObject({ status: 400, code: "refresh_token_not_found" });
  });
});

describe("sign-out", () => {
  it("local ends only this session: its access and refresh tokens are refused", async () => {
    const { email } = await newUser();
    const here = anonClient();
    const a = (await here.auth.signInWithPassword({ email, password: PASSWORD })).data.session!;
    const b = await signIn(email);

    expect((await here.auth.signOut({ scope: "local" })).error).toBeNull();
    const gone = await anonClient().auth.getUser(a.access_token);
    expect(gone.error?.name).toBe("AuthSessionMissingError"); // supabase-js's reading of session_not_found
    expect((await rawGetUser(a.access_token)).body.code).toBe("session_not_found");
    expect((await refresh(a.refresh_token)).error).toMatchObject({ code: "refresh_token_not_found" });
    expect((await rawGetUser(b.access_token)).status).toBe(200);
  });

  it("others keeps only the current session; global ends every session of the user", async () => {
    const { email } = await newUser();
    const c1 = anonClient();
    const s1 = (await c1.auth.signInWithPassword({ email, password: PASSWORD })).data.session!;
    const s2 = await signIn(email);

    expect((await c1.auth.signOut({ scope: "others" })).error).toBeNull();
    expect((await rawGetUser(s1.access_token)).status).toBe(200);
    expect((await rawGetUser(s2.access_token)).body.code).toBe("session_not_found");
    expect((await refresh(s2.refresh_token)).error).toMatchObject({ code: "refresh_token_not_found" });

    const s3 = await signIn(email);
    expect((await c1.auth.signOut()).error).toBeNull(); // default scope: global
    for (const s of [s1, s3]) {
      expect((await rawGetUser(s.access_token)).body.code).toBe("session_not_found");
      expect((await refresh(s.refresh_token)).error).toMatchObject({ code: "refresh_token_not_found" });
    }
    expect((await c1.auth.getSession()).data.session).toBeNull();
  });
});

describe("gateway and error format", () => {
  it("refuses a wrong or missing apikey with 401", async () => {
    const r = await anonClient(URL_, "sb_publishable_wrong").auth.signInWithPassword({
      email: uniqueEmail(),
      password: PASSWORD,
    });
    expect(r.error).toMatchObject({ status: 401, message: "Invalid API key" });
    const res = await fetch(`${URL_}/auth/v1/settings`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ message: "No API key found in request" });
  });

  it("serves settings and 404s unknown routes", async () => {
    const settings = await fetch(`${URL_}/auth/v1/settings`, { headers: { apikey: ANON_KEY } });
    expect(await settings.json()).toMatchObject({
      external: { email: true },
      disable_signup: true,
      mailer_autoconfirm: true,
    });
    const missing = await fetch(`${URL_}/auth/v1/nope`, { headers: { apikey: ANON_KEY } });
    expect(missing.status).toBe(404);
  });

  it("uses the legacy error body without the API-version header and the 2024 one with it", async () => {
    const body = JSON.stringify({ email: uniqueEmail(), password: "x" });
    const post = (headers: Record<string, string>) =>
      fetch(`${URL_}/auth/v1/token?grant_type=password`, {
        method: "POST",
        headers: { apikey: ANON_KEY, "Content-Type": "application/json", ...headers },
        body,
      });
    const legacy = await post({});
    expect(legacy.headers.get("x-supabase-api-version")).toBeNull();
    expect(await legacy.json()).toEqual({
      code: 400,
      error_code: "invalid_credentials",
      msg: "Invalid login credentials",
    });
    const v2024 = await post({ "X-Supabase-Api-Version": "2024-01-01" });
    expect(v2024.headers.get("x-supabase-api-version")).toBe("2024-01-01");
    expect(await v2024.json()).toEqual({ code: "invalid_credentials", message: "Invalid login credentials" });
  });

  it("rejects malformed JSON, wrong field types and oversized bodies", async () => {
    const post = (body: string) =>
      fetch(`${URL_}/auth/v1/token?grant_type=password`, {
        method: "POST",
        headers: { apikey: ANON_KEY, "Content-Type": "application/json" },
        body,
      });
    const malformed = await post("{not json");
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error_code: "bad_json" });
    const wrongType = await post(JSON.stringify({ email: 42, password: "x" }));
    expect(await wrongType.json()).toMatchObject({ code: 400, error_code: "bad_json" });
    const huge = await post(JSON.stringify({ email: "a@b.c", password: "x".repeat(70 * 1024) }));
    expect(huge.status).toBe(413);
    // Without a Content-Length (chunked), the limit applies while reading.
    const chunked = await fetch(`${URL_}/auth/v1/token?grant_type=password`, {
      method: "POST",
      headers: { apikey: ANON_KEY, "Content-Type": "application/json" },
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < 70; i++) c.enqueue(new TextEncoder().encode("x".repeat(1024)));
          c.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });
});
