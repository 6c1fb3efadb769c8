/**
 * A signed-out (or hijack-suspected) session must stop working at once, not when its access
 * token expires up to an hour later. Real tokens from the Auth emulator through supabase-js,
 * verified by lib/auth/claims.ts, used through withUser against the real database.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sql } from "postgres";
import { verifyAccessToken, type VerifiedClaims } from "@/lib/auth/claims";
import { withAccount, withUser } from "@/lib/db/scope";
import { listMyMemberships } from "@/lib/dealerships/memberships";
import {
  adminSql,
  authClient,
  claimsFor,
  createDealership,
  createLead,
  createMember,
  startSession,
  type TestMember,
} from "@/local-stack/test-fixtures";

const PASSWORD = "test-password-1";
let sql: Sql;
let dealershipId: string;

beforeAll(async () => {
  sql = adminSql();
  dealershipId = await createDealership(sql, "Revocation Motors");
  await createLead(sql, dealershipId, { phone: "+13125550111", firstName: "Rev" });
});
afterAll(async () => {
  await sql.end();
});

async function claimsOf(accessToken: string): Promise<VerifiedClaims> {
  const claims = await verifyAccessToken(accessToken, process.env.SUPABASE_URL!);
  expect(claims).not.toBeNull();
  return claims!;
}

/** Sign in through supabase-js; returns the client (holding the session) and the token's claims. */
async function signIn(member: TestMember) {
  const client = authClient();
  const { data, error } = await client.auth.signInWithPassword({ email: member.email, password: PASSWORD });
  expect(error).toBeNull();
  return { client, session: data.session!, claims: await claimsOf(data.session!.access_token) };
}

const uid = (claims: VerifiedClaims) =>
  withAccount(claims, async ({ sql: tx }) => (await tx`select auth.uid() as id`)[0]!.id as string);

describe("withUser refuses a token whose session has ended", () => {
  it("works while the session is alive", async () => {
    const member = await createMember(sql, dealershipId, "owner");
    const { claims } = await signIn(member);
    expect(await uid(claims)).toBe(member.userId);
  });

  it("after sign-out, the old access token (still valid by signature) is refused", async () => {
    const member = await createMember(sql, dealershipId, "owner");
    const { client, session, claims } = await signIn(member);
    const other = await signIn(member); // a second device stays signed in
    expect((await client.auth.signOut({ scope: "local" })).error).toBeNull();

    expect(await verifyAccessToken(session.access_token, process.env.SUPABASE_URL!)).not.toBeNull();
    await expect(uid(claims)).rejects.toMatchObject({ code: "unauthenticated", name: "SessionEndedError" });
    expect(await uid(other.claims)).toBe(member.userId);
  });

  it("after refresh-token reuse detection, every access token of the session is refused", async () => {
    const member = await createMember(sql, dealershipId, "rep");
    const first = await signIn(member);
    const r2 = await authClient().auth.refreshSession({ refresh_token: first.session.refresh_token });
    const r3 = await authClient().auth.refreshSession({ refresh_token: r2.data.session!.refresh_token });
    const newest = await claimsOf(r3.data.session!.access_token);
    expect(await uid(newest)).toBe(member.userId);

    // A stolen, older refresh token comes back: the Auth server revokes the family.
    const reuse = await authClient().auth.refreshSession({ refresh_token: first.session.refresh_token });
    expect(reuse.error).toMatchObject({ code: "refresh_token_already_used" });
    await expect(uid(newest)).rejects.toMatchObject({ code: "unauthenticated" });
    await expect(uid(first.claims)).rejects.toMatchObject({ code: "unauthenticated" });
  });

  it("a session past not_after, a missing or unknown session_id, and another user's session are refused", async () => {
    const member = await createMember(sql, dealershipId, "rep");
    const someoneElse = await createMember(sql, dealershipId, "rep");
    const expired = await startSession(sql, member.userId);
    await sql`update auth.sessions set not_after = now() - interval '1 second' where id = ${expired}`;
    const bad: VerifiedClaims[] = [
      claimsFor(member.userId, member.email, expired),
      { ...member.claims, session_id: undefined },
      { ...member.claims, session_id: "not-a-uuid" },
      claimsFor(member.userId, member.email), // a random, unknown session id
      claimsFor(member.userId, member.email, someoneElse.claims.session_id),
    ];
    for (const claims of bad) await expect(uid(claims)).rejects.toMatchObject({ code: "unauthenticated" });
    expect(await uid(member.claims)).toBe(member.userId);
  });

  it("a removed member's next request sees nothing of the dealership (RLS checks memberships live)", async () => {
    const member = await createMember(sql, dealershipId, "manager");
    const { claims } = await signIn(member);
    const look = () =>
      withAccount(claims, async (session) => ({
        memberships: await listMyMemberships(session),
        leads: (
          await session.sql<
            { n: number }[]
          >`select count(*)::int as n from public.leads where dealership_id = ${dealershipId}`
        )[0]!.n,
      }));
    const before = await look();
    expect(before.memberships.map((m) => m.dealershipId)).toContain(dealershipId);
    expect(before.leads).toBeGreaterThan(0);

    await sql`delete from public.memberships where user_id = ${member.userId} and dealership_id = ${dealershipId}`;
    // Same, still-valid token; the very next transaction:
    expect(await look()).toEqual({ memberships: [], leads: 0 });
    // A scope for the dealership is refused outright now.
    await expect(withUser(claims, dealershipId, async () => null)).rejects.toMatchObject({ code: "forbidden" });
    // Writes reach nothing either (refused outright or no visible row, depending on the grant).
    const changed = await withAccount(
      claims,
      ({ sql: tx }) =>
        tx`update public.leads set updated_at = now() where dealership_id = ${dealershipId} returning id`,
    ).then(
      (rows) => rows.length,
      (err: { code?: string }) => (err.code === "42501" ? 0 : Promise.reject(err)),
    );
    expect(changed).toBe(0);
  });
});
