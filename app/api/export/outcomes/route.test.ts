/**
 * POST /api/export/outcomes: re-authentication is enforced by the route and again by the database;
 * a role without data.export is refused; the download is a CSV (BOM first) named without PII, and
 * the request carries nothing in its URL.
 */
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { can } from "@/lib/auth/permissions";
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
const URL_PATH = `${APP}/api/export/outcomes`;
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

const post = (body: unknown = {}) =>
  POST(
    new Request(URL_PATH, {
      method: "POST",
      headers: { "content-type": "application/json", origin: APP },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({}) },
  );
const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

beforeAll(async () => {
  sql = adminSql();
  const dealershipId = await createDealership(sql, "Outcome Route Motors");
  owner = await createMember(sql, dealershipId, "owner");
  manager = await createMember(sql, dealershipId, "manager");
  await createLead(sql, dealershipId, { phone: "+13125550143", firstName: "Route" });
});
afterAll(async () => {
  await sql?.end();
});

describe("POST /api/export/outcomes", () => {
  it("refuses a manager (no data.export)", async () => {
    signedIn.ctx = await contextOf(manager, true);
    const res = await post();
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("forbidden");
  });

  it("asks an owner to re-authenticate first; the database refuses too if the session check was bypassed", async () => {
    signedIn.ctx = await contextOf(owner, false);
    expect(await errorCode(await post())).toBe("reauthentication_required");
    signedIn.ctx = await contextOf(owner, true);
    expect(await errorCode(await post())).toBe("reauthentication_required");
  });

  it("rejects a mapping id that is not a uuid, and one that is not the dealership's", async () => {
    await recordRecentAuth(sql, owner);
    signedIn.ctx = await contextOf(owner, true);
    expect(await errorCode(await post({ mappingId: "latest" }))).toBe("invalid_input");
    expect(await errorCode(await post({ mappingId: crypto.randomUUID() }))).toBe("not_found");
  });

  it("streams the CSV to an owner who re-authenticated, named without PII, and audits it", async () => {
    await recordRecentAuth(sql, owner);
    signedIn.ctx = await contextOf(owner, true);
    const res = await post({ mappingId: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="refireleads-outcomes-\d{4}-\d\d-\d\d\.csv"$/,
    );
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(text.startsWith("\uFEFFCRM ID,First name,Last name,Phone,Email,")).toBe(true);
    expect(text).toContain("Route,,+13125550143,");
    const [audit] = await sql`select count(*)::int as n from public.audit_events
      where dealership_id = ${signedIn.ctx.active.dealershipId} and action = 'data.outcomes_exported'`;
    expect(audit!.n).toBe(1);
  });
});
