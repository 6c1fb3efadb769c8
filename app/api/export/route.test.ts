/**
 * POST /api/export: re-authentication is enforced by the route and again by the database; a role
 * without data.export is refused; the download is a ZIP with no PII in its name or the URL.
 */
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { can } from "@/lib/auth/permissions";
import { unzip } from "@/lib/export/testing/unzip";
import { withAccount, withUser } from "@/lib/db/scope";
import { listMyMemberships } from "@/lib/dealerships/memberships";
import type { UserContext } from "@/lib/server/user-context";
import {
  adminSql,
  createDealership,
  createLead,
  createMember,
  recordRecentAuth,
  type TestMember,
} from "@/local-stack/test-fixtures";

const signedIn = vi.hoisted(() => ({ ctx: null as UserContext | null }));
vi.mock("@/lib/server/user-context", () => ({ getUserContext: async () => signedIn.ctx }));

const { POST } = await import("./route");

const APP = new URL(process.env.APP_BASE_URL!).origin;
let sql: Sql;
let owner: TestMember;
let manager: TestMember;

async function contextOf(m: TestMember, recentAuth: boolean): Promise<UserContext> {
  const [active] = await withAccount(m.claims, listMyMemberships);
  return {
    claims: m.claims,
    memberships: [active!],
    active: active!,
    can: (p) => can(active!, p),
    run: (fn) => withUser(m.claims, active!.dealershipId, fn),
    security: { mfaEnrolled: false, recentAuth },
    mfaSetupRequired: false,
  };
}

const post = (format = "csv") =>
  POST(
    new Request(`${APP}/api/export`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: APP },
      body: JSON.stringify({ format }),
    }),
    { params: Promise.resolve({}) },
  );
const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

beforeAll(async () => {
  sql = adminSql();
  const dealershipId = await createDealership(sql, "Export Route Motors");
  owner = await createMember(sql, dealershipId, "owner");
  manager = await createMember(sql, dealershipId, "manager");
  await createLead(sql, dealershipId, { phone: "+13125550142", firstName: "Route" });
});
afterAll(async () => {
  await sql?.end();
});

describe("POST /api/export", () => {
  it("refuses a manager (no data.export)", async () => {
    signedIn.ctx = await contextOf(manager, true);
    const res = await post();
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("forbidden");
  });

  it("asks an owner to re-authenticate first; the database refuses too if the session check was bypassed", async () => {
    signedIn.ctx = await contextOf(owner, false);
    expect(await errorCode(await post())).toBe("reauthentication_required");
    // The route's check claimed a recent re-authentication the database has no record of.
    signedIn.ctx = await contextOf(owner, true);
    expect(await errorCode(await post())).toBe("reauthentication_required");
  });

  it("streams a ZIP to an owner who re-authenticated, named without PII, and audits it", async () => {
    await recordRecentAuth(sql, owner);
    signedIn.ctx = await contextOf(owner, true);
    const res = await post("json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="refireleads-export-\d{4}-\d\d-\d\d-json\.zip"$/,
    );
    const zip = Buffer.from(await res.arrayBuffer());
    const names = [...(await unzip(zip)).keys()];
    expect(names).toContain("leads.json");
    const [audit] = await sql`select count(*)::int as n from public.audit_events
      where dealership_id = ${signedIn.ctx.active.dealershipId} and action = 'data.exported'`;
    expect(audit!.n).toBe(1);
  });

  it("rejects an unknown format", async () => {
    signedIn.ctx = await contextOf(owner, true);
    expect(await errorCode(await post("xlsx"))).toBe("invalid_input");
  });
});
