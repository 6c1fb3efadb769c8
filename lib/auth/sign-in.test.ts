/**
 * The sign-in limits against the real Auth emulator (supabase-js) and the real rate-limit table.
 * The attack from the outside review: six wrong passwords, each with a different forged first
 * X-Forwarded-For hop, then the right password, signed in. Not any more.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sql } from "postgres";
import { clientAddressFrom, takeRateLimitSlot, RATE_LIMITS } from "@/lib/rate-limit/rate-limit";
import { adminSql, authClient, createDealership, createMember } from "@/local-stack/test-fixtures";
import { SIGN_IN_FAILURE_FLOOR_MS, SIGN_IN_REFUSED, signInWithLimits, type PasswordCheck } from "./sign-in";

const PASSWORD = "test-password-1";
let sql: Sql;
let dealershipId: string;

beforeAll(async () => {
  sql = adminSql();
  dealershipId = await createDealership(sql, "Sign-in Motors");
});
afterAll(async () => {
  await sql.end();
});

/** The real password check through supabase-js, counting how often the Auth server was asked. */
function authServer() {
  const calls = { n: 0 };
  const check: PasswordCheck = async (email, password) => {
    calls.n++;
    const { error } = await authClient().auth.signInWithPassword({ email, password });
    return !error;
  };
  return { check, calls };
}

/** What the app behind one trusted proxy sees: the client's own header plus the proxy's hop. */
function viaProxy(forged: string, real = "198.51.100.20"): Headers {
  return new Headers({ "x-forwarded-for": `${forged}, ${real}` });
}

async function attempt(email: string, password: string, headers: Headers, check: PasswordCheck) {
  return signInWithLimits({ email, password, clientAddress: clientAddressFrom(headers, 1) }, check);
}

async function newEmail() {
  return (await createMember(sql, dealershipId, "rep")).email;
}

describe("sign-in limits", () => {
  it("six wrong passwords with six forged first hops, then the right one: still refused", async () => {
    const email = await newEmail();
    const { check, calls } = authServer();
    const answers = [];
    for (let i = 1; i <= 6; i++) answers.push(await attempt(email, `wrong-${i}`, viaProxy(`203.0.113.${i}`), check));
    const right = await attempt(email, PASSWORD, viaProxy("203.0.113.99"), check);
    expect(right).toEqual({ ok: false, message: SIGN_IN_REFUSED });
    // Five reached the Auth server; the sixth wrong one and the right one never did.
    expect(calls.n).toBe(5);
    // One message for wrong and limited alike.
    expect(new Set(answers.map((a) => JSON.stringify(a)))).toEqual(
      new Set([JSON.stringify({ ok: false, message: SIGN_IN_REFUSED })]),
    );
  });

  it("no client address can reset the per-account limit (six different real addresses)", async () => {
    const email = await newEmail();
    const { check } = authServer();
    for (let i = 1; i <= 6; i++) await attempt(email, `wrong-${i}`, viaProxy("10.0.0.1", `198.51.100.${i}`), check);
    expect((await attempt(email, PASSWORD, viaProxy("10.0.0.1", "192.0.2.77"), check)).ok).toBe(false);
    // Another account from the same addresses is unaffected.
    expect((await attempt(await newEmail(), PASSWORD, viaProxy("10.0.0.1", "198.51.100.1"), check)).ok).toBe(true);
  });

  it("the slower window: 20 failures an hour lock the account even when spread over minutes", async () => {
    const email = await newEmail();
    const { check, calls } = authServer();
    // Stand in for 20 failures spread over earlier minutes (only the hourly window remembers them).
    for (let i = 0; i < RATE_LIMITS.authHourly.limit; i++) await takeRateLimitSlot("authHourly", email);
    expect((await attempt(email, PASSWORD, viaProxy("203.0.113.5"), check)).ok).toBe(false);
    expect(calls.n).toBe(0);
  });

  it("a client address spraying many accounts is limited across e-mails", async () => {
    const address = `198.51.100.${Math.floor(Math.random() * 200) + 30}-${randomUUID().slice(0, 4)}`;
    for (let i = 0; i < RATE_LIMITS.authAddress.limit; i++) await takeRateLimitSlot("authAddress", address);
    const { check, calls } = authServer();
    const email = await newEmail();
    const res = await signInWithLimits({ email, password: PASSWORD, clientAddress: address }, check);
    expect(res.ok).toBe(false);
    expect(calls.n).toBe(0);
  });

  it("successful sign-ins give their slots back, so frequent sign-ins never lock anyone out", async () => {
    const email = await newEmail();
    const { check } = authServer();
    for (let i = 0; i < RATE_LIMITS.auth.limit + 3; i++) {
      expect((await attempt(email, PASSWORD, viaProxy("203.0.113.1"), check)).ok).toBe(true);
    }
    // ... while failures still count: four wrong ones leave room for exactly one more attempt.
    for (let i = 0; i < RATE_LIMITS.auth.limit - 1; i++) await attempt(email, "wrong", viaProxy("203.0.113.1"), check);
    expect((await attempt(email, PASSWORD, viaProxy("203.0.113.1"), check)).ok).toBe(true);
  });

  it("failures take the same floor whether wrong, limited or for an unknown e-mail", async () => {
    const { check } = authServer();
    const email = await newEmail();
    const timed = async (e: string, p: string) => {
      const t = Date.now();
      const r = await attempt(e, p, viaProxy("203.0.113.8"), check);
      return { ok: r.ok, ms: Date.now() - t };
    };
    const unknown = await timed(`nobody-${randomUUID().slice(0, 8)}@fixture.test`, "whatever");
    const wrong = await timed(email, "wrong");
    for (let i = 0; i < 5; i++) await attempt(email, "wrong", viaProxy("203.0.113.8"), check);
    const limited = await timed(email, PASSWORD);
    for (const r of [unknown, wrong, limited]) {
      expect(r.ok).toBe(false);
      expect(r.ms).toBeGreaterThanOrEqual(SIGN_IN_FAILURE_FLOOR_MS - 5);
    }
  });
});

describe("clientAddressFrom", () => {
  it.each([
    ["203.0.113.9", 1, "203.0.113.9"],
    ["6.6.6.6, 203.0.113.9", 1, "203.0.113.9"],
    ["6.6.6.6, 7.7.7.7, 203.0.113.9", 1, "203.0.113.9"],
    ["6.6.6.6, 203.0.113.9, 10.0.0.2", 2, "203.0.113.9"],
    ["10.0.0.2", 2, null],
    ["203.0.113.9", 0, null],
    ["", 1, null],
  ])("%j with %i trusted hop(s) is %j", (xff, hops, expected) => {
    expect(clientAddressFrom(new Headers(xff ? { "x-forwarded-for": xff } : {}), hops)).toBe(expected);
  });
});
