/**
 * Support access at the database, as the authenticated role with real JWT claims: an operator
 * reads a dealership only under its owner's live grant, only the support tables, only that
 * dealership, and never writes; expired, revoked, denied and pending requests show nothing; only
 * an owner grants (after re-authenticating), nobody grants themselves, members cannot ask; every
 * step and every page view is an audit event in the dealership's log.
 */
import { randomUUID } from "node:crypto";
import type { Sql, TransactionSql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withAccount, withSupport } from "@/lib/db/scope";
import { createSendingNumber, seedInboundMessage, testLeadPhone } from "@/lib/sms/testing/messaging-fixtures";
import {
  adminSql,
  createDealership,
  createLead,
  createMember,
  createOperator,
  recordRecentAuth,
  type TestMember,
} from "@/local-stack/test-fixtures";

/** The tables an operator may read under a grant (the migration's SELECT-only support policies). */
const SUPPORT_TABLES: Record<string, string> = {
  dealerships: "id",
  leads: "dealership_id",
  lead_sources: "dealership_id",
  conversations: "dealership_id",
  messages: "dealership_id",
  consent_events: "dealership_id",
  campaigns: "dealership_id",
  campaign_recipients: "dealership_id",
  lead_imports: "dealership_id",
  sending_numbers: "dealership_id",
  dealership_campaign_settings: "dealership_id",
};

let sql: Sql;
let target: string;
let other: string;
let owner: TestMember;
let admin: TestMember;
let manager: TestMember;
let rep: TestMember;
let otherOperator: TestMember;
let tables: { name: string; column: string }[];
let leadA: string;

/** Run fn as the user (authenticated role, their claims); the Postgres error code on failure. */
async function as<T>(m: TestMember, fn: (tx: TransactionSql) => Promise<T>): Promise<T | string> {
  try {
    return await withAccount(m.claims, ({ sql: tx }) => fn(tx));
  } catch (err) {
    return String((err as { code?: string }).code ?? err);
  }
}

/** Rows of each public table the user sees, per dealership: `{ table: [target, other] }`. */
async function visibleCounts(m: TestMember): Promise<Record<string, [number, number] | string>> {
  return withAccount(m.claims, async ({ sql: tx }) => {
    const out: Record<string, [number, number] | string> = {};
    for (const { name, column } of tables) {
      try {
        const [row] = await tx.savepoint(
          (sp) =>
            sp.unsafe(
              `select count(*) filter (where ${column} = $1)::int as a, count(*) filter (where ${column} = $2)::int as b
               from public.${name}`,
              [target, other],
            ) as unknown as Promise<{ a: number; b: number }[]>,
        );
        out[name] = [row!.a, row!.b];
      } catch (err) {
        out[name] = String((err as { code?: string }).code);
      }
    }
    return out;
  });
}

/** What the superuser sees of the target dealership, per table. */
async function actualCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { name, column } of tables) {
    const [row] = await sql.unsafe(`select count(*)::int as n from public.${name} where ${column} = $1`, [target]);
    out[name] = row!.n as number;
  }
  return out;
}

/** Every table reads nothing of either dealership (an error counts as nothing). */
function expectNothing(counts: Record<string, [number, number] | string>, except: string[] = []) {
  for (const [name, c] of Object.entries(counts)) {
    if (except.includes(name)) continue;
    if (typeof c === "string") expect(c, name).toBe("42501");
    else expect(c, name).toEqual([0, 0]);
  }
}

async function request(m: TestMember, dealershipId = target, reason = "Customer reports a stuck import") {
  return as(m, async (tx) => {
    const [r] = await tx<{ id: string }[]>`select public.request_support_access(${dealershipId}, ${reason}) as id`;
    return r!.id;
  });
}

async function grant(m: TestMember, requestId: string, minutes = 60) {
  return as(m, async (tx) => {
    const [r] = await tx<{ e: Date }[]>`select public.grant_support_access(${requestId}, ${minutes}) as e`;
    return r!.e;
  });
}

/** A fresh operator with a granted request on the target dealership. */
async function grantedOperator(): Promise<{ op: TestMember; requestId: string }> {
  const op = await createOperator(sql);
  const requestId = (await request(op)) as string;
  await recordRecentAuth(sql, owner);
  expect(await grant(owner, requestId)).toBeInstanceOf(Date);
  return { op, requestId };
}

/** Give a dealership a row in every public table. */
async function seedEverything(dealershipId: string, by: TestMember) {
  const number = await createSendingNumber(sql, dealershipId);
  const inbound = await seedInboundMessage(sql, dealershipId, {
    sendingNumberId: number.id,
    from: testLeadPhone(),
    body: "Is the Outback still there?",
  });
  const lead = await createLead(sql, dealershipId, { phone: testLeadPhone(), firstName: "Ada" });
  await sql`update public.leads set consent_status = 'opted_out', consent_source = 'test' where id = ${lead}`;
  await sql`insert into public.lead_sources (dealership_id, system_key) values (${dealershipId}, 'inbound_sms') on conflict do nothing`;
  await sql`insert into public.lead_imports (dealership_id, created_by, status, finished_at) values (${dealershipId}, ${by.userId}, 'completed', now())`;
  await sql`insert into public.import_mappings (dealership_id, shape_fingerprint, mapping, updated_by)
    values (${dealershipId}, ${randomUUID().replaceAll("-", "").repeat(2)}, '{"Phone":"phone"}', ${by.userId})`;
  await sql`insert into public.do_not_contact (dealership_id, phone_bidx, source, created_by)
    values (${dealershipId}, ${"d".repeat(43)}, 'manual', ${by.userId})`;
  await sql`insert into public.invitations (dealership_id, email, role, invited_by, expires_at)
    values (${dealershipId}, ${`hire-${randomUUID().slice(0, 6)}@support.test`}, 'rep', ${by.userId}, now() + interval '1 day')`;
  await sql`insert into public.reply_templates (dealership_id, intent, body, updated_by) values (${dealershipId}, 'question', 'We answer', ${by.userId})`;
  await sql`insert into public.triage_corrections (dealership_id, message_id, lead_id, to_intent, corrected_by)
    values (${dealershipId}, ${inbound.messageId}, ${inbound.leadId}, 'interested', ${by.userId})`;
  const [campaign] =
    await sql`insert into public.campaigns (dealership_id, name, sending_number_id, template, status, launched_at)
    values (${dealershipId}, 'Spring', ${number.id}, 'Hi', 'sending', now()) returning id`;
  await sql`insert into public.campaign_recipients (campaign_id, dealership_id, lead_id) values (${campaign!.id}, ${dealershipId}, ${lead})`;
  await sql`insert into public.audit_events (dealership_id, actor_user_id, action) values (${dealershipId}, ${by.userId}, 'test.seeded')`;
  return lead;
}

beforeAll(async () => {
  sql = adminSql();
  target = await createDealership(sql, "Support Target Motors");
  other = await createDealership(sql, "Support Other Auto");
  owner = await createMember(sql, target, "owner");
  admin = await createMember(sql, target, "admin");
  manager = await createMember(sql, target, "manager");
  rep = await createMember(sql, target, "rep");
  const otherOwner = await createMember(sql, other, "owner");
  otherOperator = await createOperator(sql);
  leadA = await seedEverything(target, owner);
  await seedEverything(other, otherOwner);
  tables = (
    await sql<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'
      order by table_name`
  ).map((t) => ({ name: t.table_name, column: t.table_name === "dealerships" ? "id" : "dealership_id" }));
});
afterAll(async () => {
  await sql.end();
});

describe("asking", () => {
  it("an operator without any request reads nothing of any public table", async () => {
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining([...Object.keys(SUPPORT_TABLES)]));
    expectNothing(await visibleCounts(otherOperator));
  });

  it("members cannot ask, whatever their role; an operator must give a reason and a real dealership", async () => {
    for (const m of [owner, admin, manager, rep]) expect(await request(m)).toBe("42501");
    const op = await createOperator(sql);
    expect(await request(op, target, "   short ")).toBe("RL105");
    expect(await request(op, randomUUID())).toBe("RL071");
    // app_metadata decides, not a claim the user could write.
    const selfMade = { ...owner, claims: { ...owner.claims, user_metadata: { platform_role: "operator" } } };
    expect(await request(selfMade as TestMember)).toBe("42501");
  });

  it("one open request per operator and dealership; the request is audited without its reason", async () => {
    const op = await createOperator(sql);
    const id = await request(op);
    expect(typeof id).toBe("string");
    expect(await request(op)).toBe("RL106");
    const audit = await sql`select actor_user_id, action, target_id, metadata from public.audit_events
      where dealership_id = ${target} and target_id = ${id as string}`;
    expect(audit).toEqual([{ actor_user_id: op.userId, action: "support.requested", target_id: id, metadata: {} }]);
  });

  it("a pending request shows the operator nothing but the request itself", async () => {
    const op = await createOperator(sql);
    await request(op);
    const counts = await visibleCounts(op);
    expectNothing(counts, ["support_access_requests"]);
    expect(counts.support_access_requests).toEqual([1, 0]);
  });
});

describe("answering", () => {
  it("only an owner grants: admins, managers, reps and the operator are refused even after re-authenticating", async () => {
    const op = await createOperator(sql);
    const id = (await request(op)) as string;
    for (const m of [admin, manager, rep, op]) {
      await recordRecentAuth(sql, m);
      expect(await grant(m, id)).toBe("42501");
      expect(await as(m, (tx) => tx`select public.deny_support_access(${id})`)).toBe("42501");
    }
    expect((await sql`select status from public.support_access_requests where id = ${id}`)[0]!.status).toBe("pending");
  });

  it("an operator who is also an owner cannot grant or deny their own request", async () => {
    const op = await createOperator(sql);
    await sql`insert into public.memberships (dealership_id, user_id, role) values (${target}, ${op.userId}, 'owner')`;
    const id = (await request(op)) as string;
    await recordRecentAuth(sql, op);
    expect(await grant(op, id)).toBe("RL108");
    expect(await as(op, (tx) => tx`select public.deny_support_access(${id})`)).toBe("RL108");
    // The table refuses it too, whoever writes.
    await expect(
      sql`update public.support_access_requests set status = 'granted', decided_by = operator_user_id,
          decided_at = now(), expires_at = now() + interval '1 hour' where id = ${id}`,
    ).rejects.toMatchObject({ code: "23514" });
    await sql`delete from public.memberships where dealership_id = ${target} and user_id = ${op.userId}`;
  });

  it("granting needs a recent re-authentication and one of the offered durations, and is audited", async () => {
    const op = await createOperator(sql);
    const id = (await request(op)) as string;
    await sql`delete from private.reauthentications where session_id = ${owner.claims.session_id!}`;
    expect(await grant(owner, id)).toBe("RL040");
    await recordRecentAuth(sql, owner, "password", 6 * 60);
    expect(await grant(owner, id)).toBe("RL040");
    await recordRecentAuth(sql, owner);
    expect(await grant(owner, id, 45)).toBe("RL109");
    expect(await grant(owner, id, 24 * 60 + 1)).toBe("RL109");
    const expires = (await grant(owner, id)) as Date;
    expect(Math.abs(expires.getTime() - Date.now() - 3600_000)).toBeLessThan(60_000);
    expect(await grant(owner, id)).toBe("RL107");
    const [audit] = await sql`select actor_user_id, metadata from public.audit_events
      where dealership_id = ${target} and target_id = ${id} and action = 'support.granted'`;
    expect(audit).toMatchObject({ actor_user_id: owner.userId, metadata: { minutes: 60 } });
  });

  it("users cannot write requests directly", async () => {
    const op = await createOperator(sql);
    const id = (await request(op)) as string;
    await recordRecentAuth(sql, owner);
    for (const m of [op, owner]) {
      expect(
        await as(m, (tx) => tx`update public.support_access_requests set status = 'granted' where id = ${id}`),
      ).toBe("42501");
      expect(
        await as(
          m,
          (tx) => tx`insert into public.support_access_requests (dealership_id, operator_user_id, reason, status)
          values (${target}, ${op.userId}, 'Let me in, please', 'granted')`,
        ),
      ).toBe("42501");
      expect(await as(m, (tx) => tx`delete from public.support_access_requests where id = ${id}`)).toBe("42501");
    }
  });

  it("owners list their dealership's requests with the operator's e-mail; others cannot", async () => {
    const op = await createOperator(sql);
    const id = (await request(op)) as string;
    const rows = (await as(owner, (tx) => tx`select * from public.dealership_support_requests(${target})`)) as {
      id: string;
      operator_email: string;
    }[];
    expect(rows.find((r) => r.id === id)?.operator_email).toBe(op.email);
    for (const m of [admin, rep, op]) {
      expect(await as(m, (tx) => tx`select * from public.dealership_support_requests(${target})`)).toBe("42501");
    }
    // Through RLS: owners see the dealership's requests, other members none, operators their own only.
    const seen = async (m: TestMember) =>
      (await as(m, (tx) => tx`select id from public.support_access_requests where dealership_id = ${target}`)) as {
        id: string;
      }[];
    expect((await seen(owner)).map((r) => r.id)).toContain(id);
    expect(await seen(admin)).toEqual([]);
    expect(await seen(rep)).toEqual([]);
    expect((await seen(op)).map((r) => r.id)).toEqual([id]);
    expect(await seen(otherOperator)).toEqual([]);
  });
});

describe("under a live grant", () => {
  it("the operator reads the support tables of that dealership only, and nothing else", async () => {
    const { op } = await grantedOperator();
    const counts = await visibleCounts(op);
    const actual = await actualCounts();
    for (const name of Object.keys(SUPPORT_TABLES)) {
      expect(actual[name], name).toBeGreaterThan(0);
      expect(counts[name], name).toEqual([actual[name], 0]);
    }
    // Their own request, and nothing of any other table (team, invitations, audit log, blind indexes...).
    expect(counts.support_access_requests).toEqual([1, 0]);
    expectNothing(counts, [...Object.keys(SUPPORT_TABLES), "support_access_requests"]);
    // Another operator still sees nothing.
    expectNothing(await visibleCounts(otherOperator));
  });

  it("the operator cannot insert, update or delete anything, in any public table", async () => {
    const { op } = await grantedOperator();
    for (const { name, column } of tables) {
      const before = await sql.unsafe(`select * from public.${name} where ${column} = $1 order by 1`, [target]);
      const update = await as(op, (tx) =>
        tx
          .unsafe(`update public.${name} set ${column} = ${column} where ${column} = $1`, [target])
          .then((r) => r.count),
      );
      const del = await as(op, (tx) =>
        tx.unsafe(`delete from public.${name} where ${column} = $1`, [target]).then((r) => r.count),
      );
      for (const outcome of [update, del]) {
        if (typeof outcome === "number") expect(outcome, name).toBe(0);
        else expect(outcome, name).toBe("42501");
      }
      expect(await sql.unsafe(`select * from public.${name} where ${column} = $1 order by 1`, [target])).toEqual(
        before,
      );
    }
    expect(
      await as(
        op,
        (tx) => tx`insert into public.leads (dealership_id, phone_bidx) values (${target}, ${"x".repeat(43)})`,
      ),
    ).toBe("42501");
    expect(await as(op, (tx) => tx`insert into public.dealerships (name) values ('Operator Motors')`)).toBe("42501");
    // Nor through the members' write functions.
    expect(
      await as(
        op,
        (tx) => tx`select * from public.queue_outbound_message(${target}, ${leadA}, ${randomUUID()}, 'x', 1)`,
      ),
    ).toBe("42501");
    // erase_lead answers "not found" (P0002) to anyone without leads.delete.
    expect(await as(op, (tx) => tx`select public.erase_lead(${leadA})`)).toBe("P0002");
    expect(await sql`select 1 from public.leads where id = ${leadA}`).toHaveLength(1);
    expect(await as(op, (tx) => tx`select * from public.dealership_members(${target})`)).toBe("42501");
  });

  it("a token without the platform role, or an aal1 session of an operator with a second factor, reads nothing", async () => {
    const { op } = await grantedOperator();
    const plain = { ...op.claims, app_metadata: { provider: "email" } };
    expectNothing(await visibleCounts({ ...op, claims: plain }), ["support_access_requests"]);
    // The operator has a second factor (the fixture's); a token that did not finish it (aal1)
    // reads nothing, not even the operator's own requests.
    const halfway = { ...op, claims: { ...op.claims, aal: "aal1" as const } };
    expectNothing(await visibleCounts(halfway));
    expect((await visibleCounts(op)).leads).toEqual([expect.any(Number), 0]);
    expect(((await visibleCounts(op)).leads as number[])[0]).toBeGreaterThan(0);
  });

  it("each page view is audited with the operator as actor, only with a grant and only with a clean path", async () => {
    const { op, requestId } = await grantedOperator();
    const view = (m: TestMember, path: string, dealershipId = target) =>
      as(m, (tx) => tx`select * from public.record_support_page_view(${dealershipId}, ${path})`);
    const path = `/operator/support/${target}/leads/${leadA}`;
    expect(await view(op, path)).toEqual([{ request_id: requestId, expires_at: expect.any(Date) }]);
    const [row] = await sql`select actor_user_id, target_id, metadata from public.audit_events
      where dealership_id = ${target} and action = 'support.page_viewed' order by id desc limit 1`;
    expect(row).toEqual({ actor_user_id: op.userId, target_id: requestId, metadata: { path } });
    for (const bad of [
      `/operator/support/${target}/leads?q=ada@example.com`,
      `/operator/support/${target}/leads/Ada Lovelace`,
      `/operator/support/${other}/leads`,
      `/leads/${leadA}`,
    ]) {
      expect(await view(op, bad), bad).toBe("22023");
    }
    expect(await view(otherOperator, `/operator/support/${target}`)).toBe("42501");
    expect(await view(owner, `/operator/support/${target}`)).toBe("42501");
    expect(await view(op, `/operator/support/${other}`, other)).toBe("42501");
  });

  it("withSupport runs only under a live grant", async () => {
    const { op, requestId } = await grantedOperator();
    const seen = await withSupport(op.claims, target, async (scope) => {
      expect(scope.actor).toMatchObject({ kind: "support", requestId, operatorUserId: op.userId });
      return (await scope.sql`select id from public.leads where dealership_id = ${target}`).length;
    });
    expect(seen).toBeGreaterThan(0);
    await expect(withSupport(op.claims, other, async () => 1)).rejects.toMatchObject({ code: "forbidden" });
    await expect(withSupport(otherOperator.claims, target, async () => 1)).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(withSupport(owner.claims, target, async () => 1)).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("access ends", () => {
  it("by itself at expires_at, with no job", async () => {
    const { op, requestId } = await grantedOperator();
    expect((await visibleCounts(op)).leads).not.toEqual([0, 0]);
    await sql`update public.support_access_requests
      set decided_at = now() - interval '2 hours', expires_at = now() - interval '1 second' where id = ${requestId}`;
    expectNothing(await visibleCounts(op), ["support_access_requests"]);
    await expect(withSupport(op.claims, target, async () => 1)).rejects.toMatchObject({ code: "forbidden" });
    expect(
      await as(
        op,
        (tx) => tx`select * from public.record_support_page_view(${target}, ${`/operator/support/${target}`})`,
      ),
    ).toBe("42501");
    // An expired grant cannot be revoked or granted again.
    expect(await as(owner, (tx) => tx`select public.revoke_support_access(${requestId})`)).toBe("RL107");
  });

  it("when the owner revokes it (audited), or the operator ends it", async () => {
    const { op, requestId } = await grantedOperator();
    for (const m of [admin, rep, otherOperator]) {
      expect(await as(m, (tx) => tx`select public.revoke_support_access(${requestId})`)).toBe("42501");
    }
    expect(await as(owner, (tx) => tx`select public.revoke_support_access(${requestId})`)).not.toBeTypeOf("string");
    expectNothing(await visibleCounts(op), ["support_access_requests"]);
    expect(await as(owner, (tx) => tx`select public.revoke_support_access(${requestId})`)).toBe("RL107");
    expect(
      await sql`select actor_user_id from public.audit_events where target_id = ${requestId} and action = 'support.revoked'`,
    ).toEqual([{ actor_user_id: owner.userId }]);

    const second = await grantedOperator();
    expect(await as(second.op, (tx) => tx`select public.revoke_support_access(${second.requestId})`)).not.toBeTypeOf(
      "string",
    );
    expectNothing(await visibleCounts(second.op), ["support_access_requests"]);
  });

  it("when the dealership is closed: a live grant reads nothing until it is reopened", async () => {
    const { op, requestId } = await grantedOperator();
    expect((await visibleCounts(op)).leads).not.toEqual([0, 0]);
    // Closed and reopened in this one test (the purge's tests own every closure that stays).
    await sql`update public.dealerships set closed_at = now(), purge_after = now() + interval '30 days' where id = ${target}`;
    try {
      expectNothing(await visibleCounts(op), ["support_access_requests"]);
      await expect(withSupport(op.claims, target, async () => 1)).rejects.toMatchObject({ code: "forbidden" });
    } finally {
      await sql`update public.dealerships set closed_at = null, purge_after = null where id = ${target}`;
    }
    expect((await visibleCounts(op)).leads).not.toEqual([0, 0]);
    await as(op, (tx) => tx`select public.revoke_support_access(${requestId})`);
  });

  it("a denied request gives nothing and cannot be granted afterwards", async () => {
    const op = await createOperator(sql);
    const id = (await request(op)) as string;
    expect(await as(owner, (tx) => tx`select public.deny_support_access(${id})`)).not.toBeTypeOf("string");
    await recordRecentAuth(sql, owner);
    expect(await grant(owner, id)).toBe("RL107");
    expectNothing(await visibleCounts(op), ["support_access_requests"]);
    expect(
      await sql`select action from public.audit_events where target_id = ${id} order by id`.then((r) =>
        r.map((x) => x.action),
      ),
    ).toEqual(["support.requested", "support.denied"]);
  });

  it("a request nobody answered within 24 hours can no longer be granted; the operator may ask again", async () => {
    const op = await createOperator(sql);
    const id = (await request(op)) as string;
    await sql`update public.support_access_requests set requested_at = now() - interval '25 hours' where id = ${id}`;
    await recordRecentAuth(sql, owner);
    expect(await grant(owner, id)).toBe("RL107");
    const again = await request(op);
    expect(typeof again).toBe("string");
    expect((await sql`select status from public.support_access_requests where id = ${id}`)[0]!.status).toBe("expired");
  });

  it("the table itself bounds a grant to 24 hours", async () => {
    const op = await createOperator(sql);
    const id = (await request(op)) as string;
    await expect(
      sql`update public.support_access_requests set status = 'granted', decided_by = ${owner.userId},
          decided_at = now(), expires_at = now() + interval '25 hours' where id = ${id}`,
    ).rejects.toMatchObject({ code: "23514" });
  });
});
