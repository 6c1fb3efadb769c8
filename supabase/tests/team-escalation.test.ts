/**
 * Team management as the `authenticated` role in SQL, the way the Data API would send it: no
 * privilege escalation (a rep cannot raise its own role, an admin cannot create, demote or remove
 * owners, nobody removes or demotes the last owner), nobody joins without a valid, unexpired,
 * unused invitation addressed to them, sensitive changes need a recent re-authentication (TOTP on
 * an aal2 session when the user has a second factor), and a removed member's sessions end at once.
 */
import { randomUUID } from "node:crypto";
import type { Sql, TransactionSql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SessionEndedError, withAccount, withUser } from "@/lib/db/scope";
import { createUser } from "@/local-stack/auth/users";
import {
  adminSql,
  claimsFor,
  createDealership,
  createLead,
  createMember,
  recordRecentAuth,
  startSession,
  type TestMember,
} from "@/local-stack/test-fixtures";

let sql: Sql;
let dealership: string;
let other: string;
let owner: TestMember;
let admin: TestMember;
let manager: TestMember;
let rep: TestMember;
let otherOwner: TestMember;

/** Run statements as the member (authenticated role, their JWT); the Postgres error code or the result. */
async function as<T>(member: TestMember, fn: (tx: TransactionSql) => Promise<T>): Promise<T | string> {
  try {
    return await withAccount(member.claims, ({ sql: tx }) => fn(tx));
  } catch (err) {
    return String((err as { code?: string }).code ?? err);
  }
}

/** The statement ran (a result set, not an error code). */
const expectOk = (outcome: unknown) => expect(outcome, String(outcome)).toEqual(expect.any(Array));

const roleOf = async (userId: string, d = dealership) =>
  (await sql`select role from public.memberships where dealership_id = ${d} and user_id = ${userId}`)[0]?.role ?? null;

async function freshMember(role: "owner" | "admin" | "manager" | "rep", d = dealership) {
  const m = await createMember(sql, d, role);
  await recordRecentAuth(sql, m);
  return m;
}

/** A confirmed user with no membership, signed in (for accepting invitations). */
async function outsider(email = `hire-${randomUUID().slice(0, 8)}@fixture.test`): Promise<TestMember> {
  const { id } = await createUser(sql, { email, password: "test-password-1" });
  return { userId: id, email, claims: claimsFor(id, email, await startSession(sql, id)) };
}

beforeAll(async () => {
  sql = adminSql();
  dealership = await createDealership(sql, "Team Motors");
  other = await createDealership(sql, "Other Motors");
  owner = await freshMember("owner");
  admin = await freshMember("admin");
  manager = await freshMember("manager");
  rep = await freshMember("rep");
  otherOwner = await freshMember("owner", other);
});
afterAll(async () => {
  await sql.end();
});

describe("no write path to memberships, invitations or proofs but the functions", () => {
  it.each([
    [
      "raise its own role",
      (m: TestMember) => `update public.memberships set role = 'owner' where user_id = '${m.userId}'`,
    ],
    [
      "join another dealership",
      (m: TestMember) =>
        `insert into public.memberships (dealership_id, user_id, role) values ('${other}', '${m.userId}', 'owner')`,
    ],
    ["delete a membership", () => `delete from public.memberships where dealership_id = '${dealership}'`],
    [
      "forge an invitation",
      () =>
        `insert into public.invitations (dealership_id, email, role, expires_at) values ('${dealership}', 'x@y.test', 'owner', now() + interval '1 day')`,
    ],
    ["un-expire an invitation", () => `update public.invitations set expires_at = now() + interval '1 year'`],
    [
      "switch off the MFA requirement",
      () => `update public.dealerships set require_mfa = false where id = '${dealership}'`,
    ],
    [
      "forge a re-authentication",
      (m: TestMember) =>
        `insert into private.reauthentications (session_id, user_id, method) values ('${m.claims.session_id}', '${m.userId}', 'totp')`,
    ],
    [
      "call the session guard's function",
      (m: TestMember) => `select private.record_reauthentication('${m.claims.session_id}', '${m.userId}', 'totp')`,
    ],
  ])("nobody can %s with direct SQL (the owner included)", async (_what, statement) => {
    for (const m of [rep, admin, owner]) {
      expect(await as(m, (tx) => tx.unsafe(statement(m)))).toBe("42501");
    }
    expect(await roleOf(rep.userId)).toBe("rep");
  });
});

describe("roles", () => {
  it("a rep or manager cannot change any role, their own included", async () => {
    for (const m of [rep, manager]) {
      expect(await as(m, (tx) => tx`select public.set_member_role(${dealership}, ${m.userId}, 'owner')`)).toBe("42501");
      expect(await as(m, (tx) => tx`select public.set_member_role(${dealership}, ${rep.userId}, 'admin')`)).toBe(
        "42501",
      );
      expect(await as(m, (tx) => tx`select public.create_invitation(${dealership}, 'x@fixture.test', 'rep')`)).toBe(
        "42501",
      );
    }
    expect(await roleOf(rep.userId)).toBe("rep");
    expect(await roleOf(manager.userId)).toBe("manager");
  });

  it("an admin cannot make anyone an owner (themselves included), nor demote or remove an owner", async () => {
    expect(await as(admin, (tx) => tx`select public.set_member_role(${dealership}, ${admin.userId}, 'owner')`)).toBe(
      "RL031",
    );
    expect(await as(admin, (tx) => tx`select public.set_member_role(${dealership}, ${rep.userId}, 'owner')`)).toBe(
      "RL031",
    );
    expect(await as(admin, (tx) => tx`select public.set_member_role(${dealership}, ${owner.userId}, 'rep')`)).toBe(
      "RL031",
    );
    expect(await as(admin, (tx) => tx`select public.remove_member(${dealership}, ${owner.userId})`)).toBe("RL031");
    expect(
      await as(admin, (tx) => tx`select public.create_invitation(${dealership}, 'boss@fixture.test', 'owner')`),
    ).toBe("RL031");
    expect(await as(admin, (tx) => tx`select public.transfer_ownership(${dealership}, ${admin.userId})`)).toBe("42501");
    expect(await roleOf(admin.userId)).toBe("admin");
    expect(await roleOf(owner.userId)).toBe("owner");
  });

  it("an admin can change roles below owner", async () => {
    const m = await freshMember("rep");
    expectOk(await as(admin, (tx) => tx`select public.set_member_role(${dealership}, ${m.userId}, 'manager')`));
    expect(await roleOf(m.userId)).toBe("manager");
  });

  it("the last owner can be neither demoted nor removed, by themselves or anyone; a second owner can", async () => {
    expect(await as(owner, (tx) => tx`select public.set_member_role(${dealership}, ${owner.userId}, 'admin')`)).toBe(
      "RL030",
    );
    expect(await as(owner, (tx) => tx`select public.remove_member(${dealership}, ${owner.userId})`)).toBe("RL030");
    // The database itself keeps an owner, whoever writes (here the platform's superuser).
    await expect(
      sql`delete from public.memberships where dealership_id = ${dealership} and user_id = ${owner.userId}`,
    ).rejects.toMatchObject({ code: "RL030" });
    await expect(
      sql`update public.memberships set role = 'rep' where dealership_id = ${dealership} and user_id = ${owner.userId}`,
    ).rejects.toMatchObject({ code: "RL030" });

    const second = await freshMember("owner");
    expectOk(await as(owner, (tx) => tx`select public.set_member_role(${dealership}, ${second.userId}, 'admin')`));
    expect(await roleOf(second.userId)).toBe("admin");
  });

  it("nothing crosses dealerships", async () => {
    expect(await as(owner, (tx) => tx`select public.set_member_role(${other}, ${otherOwner.userId}, 'rep')`)).toBe(
      "42501",
    );
    expect(await as(owner, (tx) => tx`select public.remove_member(${other}, ${otherOwner.userId})`)).toBe("42501");
    expect(await as(owner, (tx) => tx`select public.create_invitation(${other}, 'x@fixture.test', 'rep')`)).toBe(
      "42501",
    );
    expect(await as(owner, (tx) => tx`select public.set_member_role(${dealership}, ${otherOwner.userId}, 'rep')`)).toBe(
      "RL036",
    );
  });
});

describe("step-up re-authentication is enforced by the database", () => {
  it("no proof, or one older than 5 minutes, is refused; a fresh one passes", async () => {
    const o = await createMember(sql, dealership, "owner");
    const target = await freshMember("rep");
    const change = () => as(o, (tx) => tx`select public.set_member_role(${dealership}, ${target.userId}, 'manager')`);
    expect(await change()).toBe("RL040");
    await recordRecentAuth(sql, o, "password", 301);
    expect(await change()).toBe("RL040");
    expect(await as(o, (tx) => tx`select public.remove_member(${dealership}, ${target.userId})`)).toBe("RL040");
    expect(await as(o, (tx) => tx`select public.transfer_ownership(${dealership}, ${target.userId})`)).toBe("RL040");
    expect(await as(o, (tx) => tx`select public.set_dealership_require_mfa(${dealership}, false)`)).toBe("RL040");
    await recordRecentAuth(sql, o, "password", 10);
    expectOk(await change());
  });

  it("sending-number changes need it too: registering is refused, deleting removes nothing", async () => {
    const o = await createMember(sql, dealership, "owner");
    const number = `+1312555${String(Math.floor(Math.random() * 9000) + 1000)}`;
    const [row] =
      await sql`insert into public.sending_numbers (dealership_id, phone_number) values (${dealership}, ${number}) returning id`;
    expect(
      await as(o, (tx) => tx`select public.register_sending_number(${dealership}, '+13125550001', null, null)`),
    ).toBe("RL040");
    expect(await as(o, (tx) => tx`delete from public.sending_numbers where id = ${row!.id}`)).toHaveLength(0);
    expect(await sql`select 1 from public.sending_numbers where id = ${row!.id}`).toHaveLength(1);
    await recordRecentAuth(sql, o);
    await as(o, (tx) => tx`delete from public.sending_numbers where id = ${row!.id}`);
    expect(await sql`select 1 from public.sending_numbers where id = ${row!.id}`).toHaveLength(0);
  });

  it("with a second factor, only a TOTP proof on an aal2 session counts", async () => {
    const o = await createMember(sql, dealership, "owner");
    await sql`insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
      values (${randomUUID()}, ${o.userId}, 'phone', 'totp', 'verified', now(), now(), 'JBSWY3DPEHPK3PXP')`;
    const target = await freshMember("rep");
    const change = (m: TestMember) =>
      as(m, (tx) => tx`select public.set_member_role(${dealership}, ${target.userId}, 'manager')`);
    const aal2 = { ...o, claims: { ...o.claims, aal: "aal2" as const } };
    await recordRecentAuth(sql, o, "password");
    expect(await change(aal2)).toBe("RL040");
    await recordRecentAuth(sql, o, "totp");
    // An aal1 token of a user with a second factor is not even a member (see below).
    expect(await change(o)).toBe("42501");
    expectOk(await change(aal2));
  });

  it("requiring MFA needs the owner's own second factor first", async () => {
    const o = await freshMember("owner");
    expect(await as(o, (tx) => tx`select public.set_dealership_require_mfa(${dealership}, true)`)).toBe("RL041");
  });
});

describe("a second factor binds the database too", () => {
  it("with a verified factor, an aal1 token sees nothing of the dealership and changes nothing; aal2 does", async () => {
    const m = await freshMember("manager");
    await createLead(sql, dealership, { phone: "+13125550178", firstName: "Flo" }, null);
    await sql`insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
      values (${randomUUID()}, ${m.userId}, 'phone', 'totp', 'verified', now(), now(), 'JBSWY3DPEHPK3PXP')`;
    const count = (claims: TestMember) =>
      as(
        claims,
        (tx) =>
          tx`select (select count(*)::int from public.leads) as leads, (select count(*)::int from public.memberships) as members`,
      );
    expect(await count(m)).toEqual([{ leads: 0, members: 0 }]);
    expect(await as(m, (tx) => tx`select * from public.dealership_members(${dealership})`)).toBe("42501");
    const aal2 = { ...m, claims: { ...m.claims, aal: "aal2" as const } };
    const seen = (await count(aal2)) as unknown as [{ leads: number; members: number }];
    expect(seen[0].leads).toBeGreaterThan(0);
    expect(seen[0].members).toBeGreaterThan(0);
  });
});

describe("invitations", () => {
  it("an invitee joins with the role invited, once; the invitation then shows as used", async () => {
    const hire = await outsider();
    const [{ id }] = (await as(
      owner,
      (tx) => tx`select public.create_invitation(${dealership}, ${hire.email.toUpperCase()}, 'rep') as id`,
    )) as [{ id: string }];
    const mine = (await as(hire, (tx) => tx`select * from public.my_invitations()`)) as { id: string }[];
    expect(mine.map((i) => i.id)).toEqual([id]);
    expectOk(await as(hire, (tx) => tx`select public.accept_invitation(${id})`));
    expect(await roleOf(hire.userId)).toBe("rep");
    expect(await as(hire, (tx) => tx`select public.accept_invitation(${id})`)).toBe("RL033");
    expect(await as(hire, (tx) => tx`select * from public.my_invitations()`)).toEqual([]);
  });

  it("nobody else can use it, an expired or revoked one is refused, and unconfirmed e-mails cannot accept", async () => {
    const hire = await outsider();
    const intruder = await outsider();
    const invite = async () =>
      (
        (await as(
          owner,
          (tx) => tx`select public.create_invitation(${dealership}, ${hire.email}, 'manager') as id`,
        )) as { id: string }[]
      )[0]!.id;
    const id = await invite();
    expect(await as(intruder, (tx) => tx`select public.accept_invitation(${id})`)).toBe("RL035");
    expect(await as(rep, (tx) => tx`select public.accept_invitation(${id})`)).toBe("RL035");
    expect(await roleOf(intruder.userId)).toBeNull();

    await sql`update public.invitations set created_at = now() - interval '8 days', expires_at = now() - interval '1 day' where id = ${id}`;
    expect(await as(hire, (tx) => tx`select * from public.my_invitations()`)).toEqual([]);
    expect(await as(hire, (tx) => tx`select public.accept_invitation(${id})`)).toBe("RL034");

    const id2 = await invite();
    expectOk(await as(admin, (tx) => tx`select public.revoke_invitation(${id2})`));
    expect(await as(hire, (tx) => tx`select public.accept_invitation(${id2})`)).toBe("RL033");

    const id3 = await invite();
    await sql`update auth.users set email_confirmed_at = null where id = ${hire.userId}`;
    expect(await as(hire, (tx) => tx`select public.accept_invitation(${id3})`)).toBe("RL035");
    expect(await roleOf(hire.userId)).toBeNull();
  });

  it("a resend replaces the open invitation; members cannot be invited again; others' invitations stay hidden", async () => {
    const hire = await outsider();
    const first = (
      (await as(owner, (tx) => tx`select public.create_invitation(${dealership}, ${hire.email}, 'rep') as id`)) as {
        id: string;
      }[]
    )[0]!.id;
    await as(owner, (tx) => tx`select public.create_invitation(${dealership}, ${hire.email}, 'manager')`);
    expect(await as(hire, (tx) => tx`select public.accept_invitation(${first})`)).toBe("RL033");
    expect(await as(owner, (tx) => tx`select public.create_invitation(${dealership}, ${rep.email}, 'rep')`)).toBe(
      "RL032",
    );
    expect(await as(rep, (tx) => tx`select count(*)::int as n from public.invitations`)).toEqual([{ n: 0 }]);
    expect(
      await as(
        otherOwner,
        (tx) => tx`select count(*)::int as n from public.invitations where dealership_id = ${dealership}`,
      ),
    ).toEqual([{ n: 0 }]);
  });
});

describe("removing a member", () => {
  it("reassigns their leads, removes the membership and ends every session at once", async () => {
    const leaving = await freshMember("rep");
    const keeper = await freshMember("rep");
    const lead = await createLead(sql, dealership, { phone: "+13125550177", firstName: "Eve" }, leaving.userId);
    // The leaving rep is working: a request goes through.
    await withUser(leaving.claims, dealership, async () => undefined);
    expect(
      await as(owner, (tx) => tx`select public.remove_member(${dealership}, ${leaving.userId}, ${keeper.userId}) as n`),
    ).toEqual([{ n: 1 }]);
    expect((await sql`select assigned_to from public.leads where id = ${lead}`)[0]!.assigned_to).toBe(keeper.userId);
    expect(await roleOf(leaving.userId)).toBeNull();
    expect(await sql`select 1 from auth.sessions where user_id = ${leaving.userId}`).toHaveLength(0);
    // Their next request fails, whatever dealership it names.
    await expect(withUser(leaving.claims, dealership, async () => undefined)).rejects.toBeInstanceOf(SessionEndedError);
    await expect(withAccount(leaving.claims, async () => undefined)).rejects.toBeInstanceOf(SessionEndedError);
  });

  it("refuses to reassign to someone who is not a member", async () => {
    const leaving = await freshMember("rep");
    expect(
      await as(owner, (tx) => tx`select public.remove_member(${dealership}, ${leaving.userId}, ${otherOwner.userId})`),
    ).toBe("RL037");
    expect(await roleOf(leaving.userId)).toBe("rep");
  });
});

describe("ownership transfer", () => {
  it("the new owner is an owner, the old one an admin", async () => {
    const d = await createDealership(sql, "Handover Motors");
    const from = await freshMember("owner", d);
    const to = await freshMember("manager", d);
    expect(await as(from, (tx) => tx`select public.transfer_ownership(${d}, ${from.userId})`)).toBe("RL036");
    expect(await as(from, (tx) => tx`select public.transfer_ownership(${d}, ${otherOwner.userId})`)).toBe("RL036");
    expectOk(await as(from, (tx) => tx`select public.transfer_ownership(${d}, ${to.userId})`));
    expect(await roleOf(to.userId, d)).toBe("owner");
    expect(await roleOf(from.userId, d)).toBe("admin");
  });
});
