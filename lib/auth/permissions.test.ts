/**
 * The TypeScript permission map and the database's private.role_permissions must agree exactly,
 * for every role and permission; and private.has_permission must answer from the table for a
 * real member (as the authenticated role), never for a non-member.
 */
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withUser } from "@/lib/db/scope";
import { adminSql, createDealership, createMember, type TestMember } from "@/local-stack/test-fixtures";
import { MEMBERSHIP_ROLES, PERMISSIONS, can, grantedPairs, roleCan } from "./permissions";

let sql: Sql;
let dealership: string;
let other: string;
const members: Partial<Record<(typeof MEMBERSHIP_ROLES)[number], TestMember>> = {};

beforeAll(async () => {
  sql = adminSql();
  dealership = await createDealership(sql, "Permission Motors");
  other = await createDealership(sql, "Elsewhere Motors");
  for (const role of MEMBERSHIP_ROLES) members[role] = await createMember(sql, dealership, role);
});
afterAll(async () => {
  await sql.end();
});

describe("permission map", () => {
  it("the SQL table holds exactly the pairs of the TypeScript map", async () => {
    const rows = await sql<
      { pair: string }[]
    >`select role::text || ':' || permission as pair from private.role_permissions`;
    expect(rows.map((r) => r.pair).sort()).toEqual(grantedPairs());
  });

  it("every permission names at least one role and appears once", () => {
    const actions = PERMISSIONS.map((p) => p.action);
    expect(new Set(actions).size).toBe(actions.length);
    for (const p of PERMISSIONS) expect(p.roles.length).toBeGreaterThan(0);
  });

  it("can() follows the map (spot checks of the rules the product relies on)", () => {
    expect(can({ role: "rep" }, "leads.view_all")).toBe(false);
    expect(can({ role: "manager" }, "leads.import")).toBe(true);
    expect(can({ role: "manager" }, "audit.view")).toBe(false);
    expect(can({ role: "admin" }, "sending_numbers.manage")).toBe(true);
    expect(roleCan("rep", "do_not_contact.add")).toBe(true);
    expect(roleCan("rep", "do_not_contact.remove")).toBe(false);
  });

  it("private.has_permission agrees with can() for every role and permission, as the member", async () => {
    for (const role of MEMBERSHIP_ROLES) {
      const member = members[role]!;
      const answers = await withUser(member.claims, dealership, async ({ sql: tx }) => {
        const out: Record<string, boolean> = {};
        for (const p of PERMISSIONS) {
          const [row] = await tx<{ ok: boolean }[]>`select private.has_permission(${dealership}, ${p.action}) as ok`;
          out[p.action] = row!.ok;
        }
        return out;
      });
      for (const p of PERMISSIONS)
        expect([role, p.action, answers[p.action]]).toEqual([role, p.action, roleCan(role, p.action)]);
    }
  });

  it("grants nothing in a dealership the user does not belong to, and nothing for an unknown permission", async () => {
    const owner = members.owner!;
    const [row] = await withUser(
      owner.claims,
      dealership,
      ({ sql: tx }) =>
        tx<{ elsewhere: boolean; unknown: boolean }[]>`
        select private.has_permission(${other}, 'leads.view_all') as elsewhere,
               private.has_permission(${dealership}, 'leads.everything') as unknown`,
    );
    expect(row).toEqual({ elsewhere: false, unknown: false });
  });

  it("the authenticated role cannot read or change the map", async () => {
    const owner = members.owner!;
    const err = await withUser(
      owner.claims,
      dealership,
      ({ sql: tx }) => tx`insert into private.role_permissions (role, permission) values ('rep', 'audit.view')`,
    ).catch((e: { code?: string }) => e.code);
    expect(err).toBe("42501");
  });
});
