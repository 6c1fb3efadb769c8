/**
 * Session limits, with an injected clock: private.session_status(idle, max_age, now) as the
 * `authenticated` role, the app's session check through withAccount, and the user's own session
 * list and revocation (never anyone else's).
 */
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SessionEndedError, withAccount } from "@/lib/db/scope";
import {
  adminSql,
  claimsFor,
  createDealership,
  createMember,
  startSession,
  type TestMember,
} from "@/local-stack/test-fixtures";

let sql: Sql;
let member: TestMember;
let other: TestMember;

const HOUR = 3600_000;
/** The session's state at an injected time, with the default limits (12 h idle, 7 days). */
async function statusAt(m: TestMember, now: Date) {
  const [row] = await withAccount(
    m.claims,
    ({ sql: tx }) =>
      tx<
        { active: boolean }[]
      >`select active from private.session_status(interval '12 hours', interval '7 days', ${now})`,
  );
  return row!.active;
}

beforeAll(async () => {
  sql = adminSql();
  const d = await createDealership(sql, "Clock Motors");
  member = await createMember(sql, d, "rep");
  other = await createMember(sql, d, "rep");
});
afterAll(async () => {
  await sql.end();
});

describe("idle timeout and absolute cap", () => {
  it("a session is alive within 12 hours of its last activity and 7 days of its start, and not after", async () => {
    const started = Date.now();
    expect(await statusAt(member, new Date(started + 11 * HOUR))).toBe(true);
    expect(await statusAt(member, new Date(started + 13 * HOUR))).toBe(false);
    // Activity (a token refresh) moves the idle deadline, never the absolute cap.
    await sql`update auth.sessions set updated_at = now() + interval '6 days 20 hours' where id = ${member.claims.session_id!}`;
    expect(await statusAt(member, new Date(started + (6 * 24 + 22) * HOUR))).toBe(true);
    expect(await statusAt(member, new Date(started + (7 * 24 + 1) * HOUR))).toBe(false);
    await sql`update auth.sessions set updated_at = now() where id = ${member.claims.session_id!}`;
  });

  it("the app refuses a session past a limit on its next transaction", async () => {
    const m = await createMember(sql, await createDealership(sql, "Idle Motors"), "rep");
    await withAccount(m.claims, async () => undefined);
    await sql`update auth.sessions set created_at = now() - interval '8 days', updated_at = now() - interval '1 hour' where id = ${m.claims.session_id!}`;
    await expect(withAccount(m.claims, async () => undefined)).rejects.toBeInstanceOf(SessionEndedError);
    const n = await createMember(sql, await createDealership(sql, "Idle Motors"), "rep");
    await sql`update auth.sessions set created_at = now() - interval '13 hours', updated_at = now() - interval '13 hours' where id = ${n.claims.session_id!}`;
    await expect(withAccount(n.claims, async () => undefined)).rejects.toBeInstanceOf(SessionEndedError);
  });
});

describe("the user's own sessions", () => {
  it("lists only the caller's sessions, marks the current one, and revokes only the caller's", async () => {
    const second = claimsFor(member.userId, member.email, await startSession(sql, member.userId));
    const listed = await withAccount(
      second,
      ({ sql: tx }) => tx<{ id: string; current: boolean }[]>`select id, current from public.my_sessions()`,
    );
    expect(listed.map((s) => s.id).sort()).toEqual([member.claims.session_id, second.session_id].sort());
    expect(listed.find((s) => s.current)?.id).toBe(second.session_id);

    // Another user's session: nothing happens.
    const [foreign] = await withAccount(
      other.claims,
      ({ sql: tx }) =>
        tx<{ revoked: boolean }[]>`select public.revoke_my_session(${member.claims.session_id!}) as revoked`,
    );
    expect(foreign!.revoked).toBe(false);
    await withAccount(member.claims, async () => undefined);

    const [own] = await withAccount(
      second,
      ({ sql: tx }) =>
        tx<{ revoked: boolean }[]>`select public.revoke_my_session(${member.claims.session_id!}) as revoked`,
    );
    expect(own!.revoked).toBe(true);
    await expect(withAccount(member.claims, async () => undefined)).rejects.toBeInstanceOf(SessionEndedError);
  });
});
