/**
 * Fixtures for integration tests against the test-profile stack: dealerships, users, memberships
 * and leads created as the database superuser (standing in for the platform), each with unique
 * names so test files never depend on each other's leftovers.
 */
import { randomUUID } from "node:crypto";
import { createClient, type SupabaseClient, type WebSocketLikeConstructor } from "@supabase/supabase-js";
import postgres, { type Sql } from "postgres";
import type { VerifiedClaims } from "../lib/auth/claims";
import { blindIndex } from "../lib/crypto/blind-index";
import { encryptLeadPii, type LeadPii } from "../lib/leads/lead-fields";
import { generateSecret } from "otplib";
import { insertTotpFactor, markFactorVerified } from "./auth/mfa-factors";
import { createSession, setSessionAal } from "./auth/sessions";
import { createUser } from "./auth/users";

export type Role = "owner" | "admin" | "manager" | "rep";

/** A superuser connection to the test database (the platform's view, RLS bypassed). */
export function adminSql(): Sql {
  return postgres(process.env.DATABASE_URL!, { max: 2, onnotice: () => {} });
}

/**
 * Claims as the Auth server would issue them (tests skip the signature; the app never does).
 * withUser refuses a token whose session is not alive, so pass a real session's id
 * (startSession) unless the test is about exactly that.
 */
export function claimsFor(
  userId: string,
  email = `${userId}@test.invalid`,
  sessionId: string = randomUUID(),
): VerifiedClaims {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: userId,
    role: "authenticated",
    aud: "authenticated",
    email,
    aal: "aal1",
    exp: now + 3600,
    iat: now,
    iss: "test",
    session_id: sessionId,
  };
}

/** Start an Auth session for a user, as a password sign-in would; returns its id. */
export async function startSession(sql: Sql, userId: string): Promise<string> {
  const { session } = await createSession(sql, userId, { userAgent: "vitest", ip: null });
  return session.id;
}

/**
 * Record that a member re-authenticated (as the app's session_guard does after Auth accepted the
 * password or code), `secondsAgo` in the past; sensitive functions require one within 5 minutes.
 */
export async function recordRecentAuth(
  sql: Sql,
  member: TestMember,
  method: "password" | "totp" = "password",
  secondsAgo = 0,
): Promise<void> {
  await sql`
    insert into private.reauthentications (session_id, user_id, method, reauthenticated_at)
    values (${member.claims.session_id!}, ${member.userId}, ${method}, now() - make_interval(secs => ${secondsAgo}))
    on conflict (session_id) do update set method = excluded.method, reauthenticated_at = excluded.reauthenticated_at`;
}

export interface TestMember {
  userId: string;
  email: string;
  claims: VerifiedClaims;
}

/** Create a user (password "test-password-1") and make them a member with the role. */
export async function createMember(
  sql: Sql,
  dealershipId: string,
  role: Role,
  label: string = role,
): Promise<TestMember> {
  const email = `${label}-${randomUUID().slice(0, 8)}@fixture.test`;
  const { id } = await createUser(sql, { email, password: "test-password-1" });
  // Signed in before joining: the sign-in's audit row (written by the database for every new
  // session) lands in no dealership's log, so tests that count a log's rows count only their own.
  const sessionId = await startSession(sql, id);
  await sql`insert into public.memberships (dealership_id, user_id, role) values (${dealershipId}, ${id}, ${role})`;
  return { userId: id, email, claims: claimsFor(id, email, sessionId) };
}

/**
 * Create a platform operator: a user with app_metadata.platform_role = 'operator' and no
 * membership. Operators need a second factor: by default the operator has a verified TOTP factor
 * (its key is `totpSecret`) and a session that finished two-factor sign-in (aal2); with
 * `{ secondFactor: false }` an operator who signed in with a password only (aal1, no factor).
 */
export async function createOperator(
  sql: Sql,
  options: { secondFactor?: boolean } = {},
): Promise<TestMember & { totpSecret: string | null }> {
  const email = `operator-${randomUUID().slice(0, 8)}@fixture.test`;
  const { id } = await createUser(sql, { email, password: "test-password-1" });
  await sql`update auth.users set raw_app_meta_data = coalesce(raw_app_meta_data, '{}'::jsonb) || '{"platform_role":"operator"}'::jsonb where id = ${id}`;
  const sessionId = await startSession(sql, id);
  const claims = claimsFor(id, email, sessionId);
  const withRole = { ...claims, app_metadata: { provider: "email", platform_role: "operator" } };
  if (options.secondFactor === false) return { userId: id, email, claims: withRole, totpSecret: null };
  const totpSecret = generateSecret();
  const factor = await insertTotpFactor(sql, id, "Fixture authenticator", totpSecret);
  await markFactorVerified(sql, factor.id);
  await setSessionAal(sql, sessionId, "aal2", factor.id);
  return { userId: id, email, claims: { ...withRole, aal: "aal2" }, totpSecret };
}

/** Create a dealership with a unique name. */
export async function createDealership(sql: Sql, name = "Fixture Motors"): Promise<string> {
  const [row] =
    await sql`insert into public.dealerships (name) values (${`${name} ${randomUUID().slice(0, 6)}`}) returning id`;
  return row!.id as string;
}

/** Insert a lead with encrypted PII; returns its id. */
export async function createLead(
  sql: Sql,
  dealershipId: string,
  pii: LeadPii & { phone: string },
  assignedTo: string | null = null,
): Promise<string> {
  const id = randomUUID();
  await sql`insert into public.leads ${sql({
    id,
    dealership_id: dealershipId,
    ...encryptLeadPii(pii, dealershipId, id),
    phone_bidx: blindIndex("phone", pii.phone, dealershipId),
    assigned_to: assignedTo,
  })}`;
  return id;
}

/**
 * supabase-js builds its Realtime client eagerly and, on Node 20 (no global WebSocket), throws
 * unless given a transport. Tests that use these clients never open a socket.
 */
class NoWebSocket {
  constructor() {
    throw new Error("Realtime is not used in tests");
  }
}

/** A supabase-js client on the test stack's Auth emulator (anon key, nothing persisted). */
export function authClient(): SupabaseClient {
  return createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_ANON_KEY!, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: NoWebSocket as unknown as WebSocketLikeConstructor },
  });
}
