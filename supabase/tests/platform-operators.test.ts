/**
 * Platform operators, at the database, as the authenticated role with an operator's JWT: the
 * platform role is read from app_metadata only, its permission table agrees with the TypeScript
 * map, an operator (not a member of any dealership) reads no row of any tenant table, and an
 * operator whose session did not finish two-factor sign-in (aal1) is refused everything (RL120).
 */
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_PERMISSIONS, platformCan, platformRoleOf } from "@/lib/auth/permissions";
import { withAccount } from "@/lib/db/scope";
import { listDealershipOverview, setDealershipStatusAsOperator } from "@/lib/platform/operator-console";
import { toAppError } from "@/lib/server/app-error";
import {
  adminSql,
  createDealership,
  createLead,
  createMember,
  createOperator,
  type TestMember,
} from "@/local-stack/test-fixtures";
import { createSendingNumber, seedInboundMessage, testLeadPhone } from "@/lib/sms/testing/messaging-fixtures";

let sql: Sql;
let operator: TestMember;
let owner: TestMember;
let dealership: string;

beforeAll(async () => {
  sql = adminSql();
  dealership = await createDealership(sql, "Operator Test Motors");
  owner = await createMember(sql, dealership, "owner");
  operator = await createOperator(sql);
  const phone = testLeadPhone();
  await createLead(sql, dealership, { phone, firstName: "Ada" });
  const number = await createSendingNumber(sql, dealership);
  await seedInboundMessage(sql, dealership, { sendingNumberId: number.id, from: phone, body: "secret body" });
});
afterAll(async () => {
  await sql.end();
});

describe("platform operators", () => {
  it("the SQL platform map holds exactly the TypeScript pairs", async () => {
    const rows = await sql<
      { pair: string }[]
    >`select role || ':' || permission as pair from private.platform_role_permissions`;
    const expected = PLATFORM_PERMISSIONS.flatMap((p) => p.roles.map((r) => `${r}:${p.action}`)).sort();
    expect(rows.map((r) => r.pair).sort()).toEqual(expected);
  });

  it("is_platform_operator reads app_metadata only: operator yes, member no, user_metadata no", async () => {
    const ask = (claims: TestMember["claims"]) =>
      withAccount(claims, async ({ sql: tx }) => {
        const [r] = await tx<{ op: boolean; perm: boolean }[]>`
          select private.is_platform_operator() as op,
                 private.has_platform_permission('platform.dealerships.approve') as perm`;
        return r!;
      });
    expect(await ask(operator.claims)).toEqual({ op: true, perm: true });
    expect(await ask(owner.claims)).toEqual({ op: false, perm: false });
    const selfMade = { ...owner.claims, user_metadata: { platform_role: "operator" } } as TestMember["claims"];
    expect(await ask(selfMade)).toEqual({ op: false, perm: false });
    expect(platformRoleOf(operator.claims)).toBe("operator");
    expect(platformRoleOf(owner.claims)).toBeNull();
    expect(platformCan(null, "platform.dealerships.read")).toBe(false);
  });

  it("an operator reads no row of any public table (no personal data by default)", async () => {
    const tables = await sql<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`;
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(["leads", "messages", "dealerships"]));
    // The owner sees the dealership's data, so the fixture rows exist and the check can fail.
    const ownerLeads = await withAccount(owner.claims, ({ sql: tx }) => tx`select 1 from public.leads`);
    expect(ownerLeads.length).toBeGreaterThan(0);
    for (const { table_name } of tables) {
      const outcome = await withAccount(operator.claims, async ({ sql: tx }) => {
        try {
          return (await tx.savepoint((sp) => sp`select count(*)::int as n from ${sp("public")}.${sp(table_name)}`))[0]!
            .n;
        } catch (err) {
          return String((err as { code?: string }).code);
        }
      });
      expect([0, "42501"], table_name).toContain(outcome);
    }
  });
});

describe("support access (supabase/tests/support-access.test.ts has the rest)", () => {
  it("a grant is per dealership: granted another one, the operator still reads no row of this one", async () => {
    const elsewhere = await createDealership(sql, "Granted Elsewhere Motors");
    const elsewhereOwner = await createMember(sql, elsewhere, "owner");
    await sql`insert into public.support_access_requests
      (dealership_id, operator_user_id, reason, status, decided_by, decided_at, expires_at)
      values (${elsewhere}, ${operator.userId}, 'Checking the campaign numbers', 'granted', ${elsewhereOwner.userId},
              now(), now() + interval '1 hour')`;
    await sql`insert into public.support_access_requests (dealership_id, operator_user_id, reason)
      values (${dealership}, ${operator.userId}, 'Still waiting for an answer')`;
    const tables = await sql<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`;
    let readElsewhere = 0;
    for (const { table_name } of tables) {
      const column = table_name === "dealerships" ? "id" : "dealership_id";
      const outcome = await withAccount(operator.claims, async ({ sql: tx }) => {
        try {
          const [row] = await tx.savepoint((sp) =>
            sp.unsafe(
              `select count(*) filter (where ${column} = $1)::int as here, count(*) filter (where ${column} = $2)::int as there
               from public.${table_name}`,
              [dealership, elsewhere],
            ),
          );
          return row as unknown as { here: number; there: number };
        } catch (err) {
          return String((err as { code?: string }).code);
        }
      });
      if (typeof outcome === "string") {
        expect(outcome, table_name).toBe("42501");
        continue;
      }
      // Their own pending request is the one row of this dealership they may see.
      expect(outcome.here, table_name).toBe(table_name === "support_access_requests" ? 1 : 0);
      readElsewhere += outcome.there;
    }
    // The grant is real: the same operator does read the other dealership.
    expect(readElsewhere).toBeGreaterThan(0);
  });
});

describe("operator console functions", () => {
  it("the overview is aggregates for operators and refused (42501) to members", async () => {
    const rows = await listDealershipOverview(operator.claims);
    const mine = rows.find((r) => r.id === dealership)!;
    expect(mine).toMatchObject({ status: "active", members: 1, leads: 1 });
    expect(mine.sendingNumbers).toHaveLength(1);
    expect(Object.keys(mine).sort()).toEqual(
      [
        "id",
        "name",
        "status",
        "createdAt",
        "members",
        "leads",
        "sendingNumbers",
        "outbound30d",
        "campaignMessages30d",
        "failureRate",
        "optOutRate",
        "closure",
      ].sort(),
    );
    expect(mine.closure).toBeNull();
    await expect(listDealershipOverview(owner.claims)).rejects.toMatchObject({ code: "42501" });
  });

  it("the overview marks a closed dealership with its purge date (closed and reopened here)", async () => {
    await sql`update public.dealerships set closed_at = now(), purge_after = now() + interval '30 days' where id = ${dealership}`;
    try {
      const mine = (await listDealershipOverview(operator.claims)).find((r) => r.id === dealership)!;
      expect(mine.closure?.purgeAfter.getTime()).toBeGreaterThan(mine.closure!.closedAt.getTime());
    } finally {
      await sql`update public.dealerships set closed_at = null, purge_after = null where id = ${dealership}`;
    }
  });

  it("suspend and resume as the operator are audited with the operator as actor; members cannot", async () => {
    await expect(setDealershipStatusAsOperator(owner.claims, dealership, "suspend")).rejects.toMatchObject({
      code: "42501",
    });
    expect(await setDealershipStatusAsOperator(operator.claims, dealership, "approve")).toBe(false);
    expect(await setDealershipStatusAsOperator(operator.claims, dealership, "suspend")).toBe(true);
    expect((await sql`select status from public.dealerships where id = ${dealership}`)[0]!.status).toBe("suspended");
    expect(await setDealershipStatusAsOperator(operator.claims, dealership, "resume")).toBe(true);
    const audit = await sql`select action, actor_user_id from public.audit_events
      where dealership_id = ${dealership} and action like 'platform.%' order by id`;
    expect(audit).toEqual([
      { action: "platform.dealership_suspended", actor_user_id: operator.userId },
      { action: "platform.dealership_active", actor_user_id: operator.userId },
    ]);
  });
});

describe("operators need a second factor (aal2)", () => {
  /** Every operator function, called as the authenticated role with these claims. */
  const operatorCalls = (grantedDealership: string): Array<[string, (tx: Sql) => Promise<unknown>]> => [
    ["platform_dealership_overview", (tx) => tx`select * from public.platform_dealership_overview()`],
    [
      "platform_set_dealership_status",
      (tx) => tx`select public.platform_set_dealership_status(${dealership}, 'suspend')`,
    ],
    [
      "platform_assign_sending_number",
      (tx) => tx`select public.platform_assign_sending_number(${dealership}, '+13125550199')`,
    ],
    [
      "platform_release_sending_number",
      (tx) => tx`select public.platform_release_sending_number(${dealership}, '+13125550199')`,
    ],
    [
      "request_support_access",
      (tx) => tx`select public.request_support_access(${dealership}, 'Checking why an import failed')`,
    ],
    ["my_support_requests", (tx) => tx`select * from public.my_support_requests()`],
    [
      "record_support_page_view",
      (tx) =>
        tx`select * from public.record_support_page_view(${grantedDealership}, ${`/operator/support/${grantedDealership}`})`,
    ],
  ];

  async function refusal(claims: TestMember["claims"], call: (tx: Sql) => Promise<unknown>): Promise<string> {
    return withAccount(claims, async ({ sql: tx }) => {
      try {
        await tx.savepoint((sp) => call(sp as unknown as Sql));
        return "allowed";
      } catch (err) {
        return String((err as { code?: string }).code);
      }
    });
  }

  it("an operator with a password only (aal1) is refused every operator function with RL120 and reads nothing under a grant", async () => {
    const passwordOnly = await createOperator(sql, { secondFactor: false });
    // An operator who has a factor but whose token is still aal1 (second step not done) alike.
    const assured = await createOperator(sql);
    const halfway = { ...assured.claims, aal: "aal1" as const };
    const granted = await createDealership(sql, "Aal Granted Motors");
    const grantOwner = await createMember(sql, granted, "owner");
    await createLead(sql, granted, { phone: testLeadPhone(), firstName: "Grace" });
    for (const op of [passwordOnly.userId, assured.userId]) {
      await sql`insert into public.support_access_requests
        (dealership_id, operator_user_id, reason, status, decided_by, decided_at, expires_at)
        values (${granted}, ${op}, 'Checking the campaign numbers', 'granted', ${grantOwner.userId}, now(), now() + interval '1 hour')`;
    }
    for (const claims of [passwordOnly.claims, halfway]) {
      for (const [name, call] of operatorCalls(granted)) {
        expect(await refusal(claims, call), name).toBe("RL120");
      }
      const seen = await withAccount(claims, async ({ sql: tx }) => {
        const [r] = await tx<{ leads: number; requests: number; op: boolean }[]>`
          select (select count(*)::int from public.leads) as leads,
                 (select count(*)::int from public.support_access_requests) as requests,
                 private.is_platform_operator() as op`;
        return r!;
      });
      expect(seen).toEqual({ leads: 0, requests: 0, op: false });
    }
    // The same operator with a finished second factor (aal2) is let through, and reads under the grant.
    expect(await refusal(assured.claims, operatorCalls(granted)[0]![1])).toBe("allowed");
    expect(await refusal(assured.claims, operatorCalls(granted).at(-1)![1])).toBe("allowed");
    const leads = await withAccount(assured.claims, ({ sql: tx }) => tx`select 1 from public.leads`);
    expect(leads).toHaveLength(1);
    // Members never meet RL120: their own queries and refusals are as before.
    expect(await refusal(owner.claims, operatorCalls(granted)[0]![1])).toBe("42501");
    const ownerLeads = await withAccount(owner.claims, ({ sql: tx }) => tx`select 1 from public.leads`);
    expect(ownerLeads.length).toBeGreaterThan(0);
  });

  it("through the app's domain functions an aal1 operator gets the message that says why", async () => {
    const passwordOnly = await createOperator(sql, { secondFactor: false });
    await expect(listDealershipOverview(passwordOnly.claims)).rejects.toMatchObject({ code: "RL120" });
    expect(toAppError(Object.assign(new Error("x"), { code: "RL120" }))).toMatchObject({
      code: "mfa_required",
      message: expect.stringContaining("two-factor"),
    });
  });
});
