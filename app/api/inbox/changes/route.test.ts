/**
 * The inbox's live updates and the API budget: polling has its own limit, so two open tabs
 * polling every few seconds are never refused, while every other API route keeps the standard
 * 30 calls a minute per user and endpoint.
 */
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { can } from "@/lib/auth/permissions";
import { withAccount, withUser } from "@/lib/db/scope";
import { listMyMemberships } from "@/lib/dealerships/memberships";
import { RATE_LIMITS } from "@/lib/rate-limit/rate-limit";
import type { UserContext } from "@/lib/server/user-context";
import { adminSql, createDealership, createLead, createMember, type TestMember } from "@/local-stack/test-fixtures";

// The signed-in member, resolved as getUserState does, from a real session and real memberships.
const signedIn = vi.hoisted(() => ({ ctx: null as UserContext | null }));
vi.mock("@/lib/server/user-context", () => ({ getUserContext: async () => signedIn.ctx }));

const { GET: changes } = await import("./route");
const { GET: conversation } = await import("../conversations/[leadId]/route");

const APP = new URL(process.env.APP_BASE_URL!).origin;
let sql: Sql;
let member: TestMember;
let leadId: string;

async function contextOf(m: TestMember): Promise<UserContext> {
  const [active] = await withAccount(m.claims, listMyMemberships);
  return {
    claims: m.claims,
    memberships: [active!],
    active: active!,
    can: (p) => can(active!, p),
    run: (fn) => withUser(m.claims, active!.dealershipId, fn),

    security: { mfaEnrolled: false, recentAuth: false },
    mfaSetupRequired: false,
  };
}

const poll = (lead?: string) =>
  changes(new Request(`${APP}/api/inbox/changes${lead ? `?lead=${lead}` : ""}`), { params: Promise.resolve({}) });
const openThread = (lead: string) =>
  conversation(new Request(`${APP}/api/inbox/conversations/${lead}`), { params: Promise.resolve({ leadId: lead }) });

beforeAll(async () => {
  sql = adminSql();
  const dealershipId = await createDealership(sql, "Polling Motors");
  member = await createMember(sql, dealershipId, "owner");
  leadId = await createLead(sql, dealershipId, { phone: "+13125550199" });
  signedIn.ctx = await contextOf(member);
});

afterAll(async () => {
  await sql?.end();
});

describe("the inbox's polling and the API budget", () => {
  it("two tabs polling every 2 s for a minute (60 calls) are never refused", async () => {
    // One tab on the list, one on a thread: the same user, the same limit.
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await poll(i % 2 ? leadId : undefined)).status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });

  it("the standard API limit still applies to other routes: the 31st call in a minute is refused with Retry-After", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMITS.api.limit; i++) statuses.push((await openThread(leadId)).status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const refused = await openThread(leadId);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // ...and polling goes on regardless.
    expect((await poll(leadId)).status).toBe(200);
  });
});
