/**
 * Every team, security and sending-number action, called as Next would call it, for each role:
 * the permission map refuses what the role may not do before anything runs, sensitive actions
 * answer `reauthentication_required` without a fresh proof (and the database refuses too), and
 * with one they go through the real database and the real Auth emulator.
 */
import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { can } from "@/lib/auth/permissions";
import { withAccount, withUser } from "@/lib/db/scope";
import { listMyMemberships } from "@/lib/dealerships/memberships";
import type { UserContext } from "@/lib/server/user-context";
import { latestEmailTo } from "@/local-stack/auth/mailbox-client";
import {
  adminSql,
  createDealership,
  createMember,
  recordRecentAuth,
  type Role,
  type TestMember,
} from "@/local-stack/test-fixtures";

vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
const signedIn = vi.hoisted(() => ({ ctx: null as UserContext | null }));
vi.mock("@/lib/server/user-context", () => ({
  getUserContext: async () => signedIn.ctx,
  getUserState: async () => (signedIn.ctx ? { kind: "member", ctx: signedIn.ctx } : { kind: "signed_out" }),
}));

const team = await import("./team-actions");
const numbers = await import("./actions");
const security = await import("./security/actions");

let sql: Sql;
let dealership: string;
const members: Partial<Record<Role, TestMember>> = {};

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

const refusedWith = (code: string) => ({ ok: false, error: expect.objectContaining({ code }) });

async function aRep(): Promise<TestMember> {
  return createMember(sql, dealership, "rep");
}

beforeAll(async () => {
  sql = adminSql();
  dealership = await createDealership(sql, "Action Motors");
  for (const role of ["owner", "admin", "manager", "rep"] as const)
    members[role] = await createMember(sql, dealership, role);
});
afterAll(async () => {
  await sql.end();
});
beforeEach(() => {
  signedIn.ctx = null;
});

describe("refused by role before anything runs", () => {
  it.each(["rep", "manager"] as const)("a %s can call no team action, not even on itself", async (role) => {
    const me = members[role]!;
    await recordRecentAuth(sql, me);
    await signInAs(me);
    expect(await team.inviteMemberAction({ email: "x@fixture.test", role: "rep" })).toEqual(refusedWith("forbidden"));
    expect(await team.changeRoleAction({ userId: me.userId, role: "owner" })).toEqual(refusedWith("forbidden"));
    expect(await team.removeMemberAction({ userId: members.owner!.userId, reassignTo: "" })).toEqual(
      refusedWith("forbidden"),
    );
    expect(await team.transferOwnershipAction({ userId: me.userId })).toEqual(refusedWith("forbidden"));
    expect(await team.revokeInvitationAction({ invitationId: randomUUID() })).toEqual(refusedWith("forbidden"));
    expect(await security.setRequireMfaAction({ required: "true" })).toEqual(refusedWith("forbidden"));
    expect(await numbers.removeSendingNumberAction({ id: randomUUID() })).toEqual(refusedWith("forbidden"));
    const [row] = await sql`select role from public.memberships where user_id = ${me.userId}`;
    expect(row!.role).toBe(role);
  });

  it("an admin cannot make an owner, demote or remove one, or transfer ownership", async () => {
    const admin = members.admin!;
    await recordRecentAuth(sql, admin);
    await signInAs(admin);
    expect(await team.changeRoleAction({ userId: admin.userId, role: "owner" })).toEqual(refusedWith("forbidden"));
    expect(await team.changeRoleAction({ userId: members.owner!.userId, role: "rep" })).toEqual(
      refusedWith("forbidden"),
    );
    expect(await team.removeMemberAction({ userId: members.owner!.userId, reassignTo: "" })).toEqual(
      refusedWith("forbidden"),
    );
    expect(await team.inviteMemberAction({ email: "boss@fixture.test", role: "owner" })).toEqual(
      refusedWith("forbidden"),
    );
    expect(await team.transferOwnershipAction({ userId: admin.userId })).toEqual(refusedWith("forbidden"));
  });
});

describe("step-up is enforced on each sensitive action", () => {
  it("without a proof in the last 5 minutes: reauthentication_required, and nothing changes", async () => {
    const owner = await createMember(sql, dealership, "owner");
    const target = await aRep();
    await recordRecentAuth(sql, owner, "password", 400);
    await signInAs(owner);
    const stale = refusedWith("reauthentication_required");
    expect(await team.changeRoleAction({ userId: target.userId, role: "manager" })).toEqual(stale);
    expect(await team.removeMemberAction({ userId: target.userId, reassignTo: "" })).toEqual(stale);
    expect(await team.transferOwnershipAction({ userId: target.userId })).toEqual(stale);
    expect(await security.setRequireMfaAction({ required: "false" })).toEqual(stale);
    expect(await security.startTotpEnrolmentAction({})).toEqual(stale);
    expect(await security.removeTotpAction({})).toEqual(stale);
    expect(
      await security.changePasswordAction({ password: "long enough password", confirm: "long enough password" }),
    ).toEqual(stale);
    expect(await numbers.addSendingNumberAction({ address: "+13125559999" })).toEqual(stale);
    expect(await numbers.removeSendingNumberAction({ id: randomUUID() })).toEqual(stale);
    const [row] = await sql`select role from public.memberships where user_id = ${target.userId}`;
    expect(row!.role).toBe("rep");
  });

  it("the database refuses too, if the app's check were skipped", async () => {
    const owner = await createMember(sql, dealership, "owner");
    const target = await aRep();
    await signInAs(owner);
    // Pretend the app thought the proof was fresh.
    signedIn.ctx = { ...signedIn.ctx!, security: { mfaEnrolled: false, recentAuth: true } };
    expect(await team.changeRoleAction({ userId: target.userId, role: "manager" })).toEqual(
      refusedWith("reauthentication_required"),
    );
  });

  it("with a fresh proof the owner changes a role, removes a member (sessions end) and invites through Auth", async () => {
    const owner = await createMember(sql, dealership, "owner");
    await recordRecentAuth(sql, owner);
    await signInAs(owner);
    const target = await aRep();
    expect(await team.changeRoleAction({ userId: target.userId, role: "manager" })).toMatchObject({ ok: true });
    expect(await team.removeMemberAction({ userId: target.userId, reassignTo: owner.userId })).toMatchObject({
      ok: true,
    });
    expect(await sql`select 1 from auth.sessions where user_id = ${target.userId}`).toHaveLength(0);

    const email = `hire-${randomUUID().slice(0, 8)}@fixture.test`;
    expect(await team.inviteMemberAction({ email: ` ${email.toUpperCase()} `, role: "rep" })).toMatchObject({
      ok: true,
      data: { emailSent: true },
    });
    const mail = await latestEmailTo(process.env.SUPABASE_URL!, email, "invite");
    expect(mail?.link).toMatch(/\/auth\/confirm\?token_hash=[0-9a-f]+&type=invite$/);
    // An existing account gets no e-mail, and the invitation waits for their next sign-in.
    expect(
      await team.inviteMemberAction({ email: members.manager!.email.replace("manager", "nobody"), role: "rep" }),
    ).toMatchObject({ ok: true });
    const outsider = await createMember(sql, await createDealership(sql, "Elsewhere"), "rep");
    expect(await team.inviteMemberAction({ email: outsider.email, role: "rep" })).toMatchObject({
      ok: true,
      data: { emailSent: false },
    });
  });

  it("bad input gets a clear error and nothing is sent", async () => {
    const owner = await createMember(sql, dealership, "owner");
    await recordRecentAuth(sql, owner);
    await signInAs(owner);
    expect(await team.inviteMemberAction({ email: "not an address", role: "rep" })).toMatchObject({
      ok: false,
      error: { code: "invalid_input", fieldErrors: { email: ["Enter a valid e-mail address."] } },
    });
    expect(await team.inviteMemberAction({ email: "a@fixture.test", role: "superuser" })).toMatchObject({
      ok: false,
      error: { code: "invalid_input" },
    });
  });
});
