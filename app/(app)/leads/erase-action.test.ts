/**
 * The lead erasure action, called as Next would call it: a manager is refused by the permission
 * map, an owner without a fresh re-authentication gets `reauthentication_required` (the form then
 * asks for the password), and with one the lead is erased.
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

vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
const signedIn = vi.hoisted(() => ({ ctx: null as UserContext | null }));
vi.mock("@/lib/server/user-context", () => ({
  getUserContext: async () => signedIn.ctx,
  getUserState: async () => (signedIn.ctx ? { kind: "member", ctx: signedIn.ctx } : { kind: "signed_out" }),
}));

const { eraseLeadAction } = await import("./actions");

let sql: Sql;
let dealership: string;

/** Sign in as a member, with the session security the real session check reports. */
async function signInAs(m: TestMember) {
  const { memberships, securityState } = await withAccount(m.claims, async (s) => ({
    memberships: await listMyMemberships(s),
    securityState: s.security,
  }));
  const active = memberships.find((x) => x.dealershipId === dealership)!;
  signedIn.ctx = {
    claims: m.claims,
    memberships,
    active,
    can: (p) => can(active, p),
    run: (fn) => withUser(m.claims, dealership, fn),
    security: securityState,
    mfaSetupRequired: false,
  };
}

const form = (leadId: string) => {
  const f = new FormData();
  f.set("leadId", leadId);
  return f;
};

beforeAll(async () => {
  sql = adminSql();
  dealership = await createDealership(sql, "Erase Action Motors");
});
afterAll(async () => {
  await sql.end();
});

describe("eraseLeadAction", () => {
  it("refuses a manager, asks an owner to re-authenticate, then erases", async () => {
    const leadId = await createLead(sql, dealership, { phone: "+13125550177", firstName: "Gone" });
    const manager = await createMember(sql, dealership, "manager");
    await recordRecentAuth(sql, manager);
    await signInAs(manager);
    expect(await eraseLeadAction(form(leadId))).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "forbidden" }),
    });

    const owner = await createMember(sql, dealership, "owner");
    await signInAs(owner);
    expect(await eraseLeadAction(form(leadId))).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "reauthentication_required" }),
    });
    expect(await sql`select 1 from public.leads where id = ${leadId}`).toHaveLength(1);

    await recordRecentAuth(sql, owner);
    await signInAs(owner);
    expect(await eraseLeadAction(form(leadId))).toEqual({ ok: true, data: { tombstone: false } });
    expect(await sql`select 1 from public.leads where id = ${leadId}`).toHaveLength(0);
  });
});
