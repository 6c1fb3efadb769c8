/**
 * POST /api/audit/export: owners and admins only (audit.view); filters are validated (an e-mail as
 * the person is refused with 422); the CSV streams with a BOM under a name without PII, and the
 * download is recorded in the log.
 */
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { can } from "@/lib/auth/permissions";
import { withAccount, withUser } from "@/lib/db/scope";
import { listMyMemberships } from "@/lib/dealerships/memberships";
import type { UserContext } from "@/lib/server/user-context";
import { adminSql, createDealership, createMember, type TestMember } from "@/local-stack/test-fixtures";

const signedIn = vi.hoisted(() => ({ ctx: null as UserContext | null }));
vi.mock("@/lib/server/user-context", () => ({ getUserContext: async () => signedIn.ctx }));

const { POST } = await import("./route");

const APP = new URL(process.env.APP_BASE_URL!).origin;
let sql: Sql;
let owner: TestMember;
let manager: TestMember;

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

const post = (body: unknown) =>
  POST(
    new Request(`${APP}/api/audit/export`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: APP },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({}) },
  );

beforeAll(async () => {
  sql = adminSql();
  const dealershipId = await createDealership(sql, "Audit Route Motors");
  owner = await createMember(sql, dealershipId, "owner");
  manager = await createMember(sql, dealershipId, "manager");
});
afterAll(async () => {
  await sql?.end();
});

describe("POST /api/audit/export", () => {
  it("refuses a manager", async () => {
    signedIn.ctx = await contextOf(manager);
    expect((await post({})).status).toBe(403);
  });

  it("refuses filters that are not ids, action names or dates", async () => {
    signedIn.ctx = await contextOf(owner);
    const res = await post({ actor: owner.email });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { fieldErrors: Record<string, string[]> } }).error.fieldErrors).toEqual({
      actor: ["Choose a person from the list."],
    });
  });

  it("streams the filtered log as CSV and records the download", async () => {
    signedIn.ctx = await contextOf(owner);
    const res = await post({ action: "audit.*" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="refireleads-audit-log-\d{4}-\d\d-\d\d\.csv"$/,
    );
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(text.startsWith("\uFEFFposition,created_at_utc,actor_user_id,actor,action,")).toBe(true);
    // The download's own record comes first, so the file holds it.
    expect(text).toContain(`,${owner.email},audit.exported,dealership,,`);
  });
});
