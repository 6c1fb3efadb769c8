/**
 * The tenant-isolation matrix, run through the app's real withUser path against the real schema:
 * every public table × select / insert / update / delete, as a member of dealership A against
 * dealership B's rows, as anon, and as a rep against another rep's leads. Refusal must come from
 * Postgres (an error or zero rows), and B's rows must be unchanged afterwards.
 */
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TransactionSql } from "postgres";
import { SERVICE_ROLES, withAccount } from "@/lib/db/scope";
import {
  adminSql,
  createDealership,
  createLead,
  createMember,
  createOperator,
  type TestMember,
} from "@/local-stack/test-fixtures";
import { createSendingNumber, seedInboundMessage, testLeadPhone } from "@/lib/sms/testing/messaging-fixtures";

/** Every table in public and the column that names its dealership. A new table must be added here. */
const TENANT_TABLES: Record<string, string> = {
  dealerships: "id",
  memberships: "dealership_id",
  leads: "dealership_id",
  audit_events: "dealership_id",
  sending_numbers: "dealership_id",
  conversations: "dealership_id",
  messages: "dealership_id",
  lead_imports: "dealership_id",
  import_mappings: "dealership_id",
  do_not_contact: "dealership_id",
  consent_events: "dealership_id",
  lead_sources: "dealership_id",
  invitations: "dealership_id",
  dealership_campaign_settings: "dealership_id",
  campaigns: "dealership_id",
  campaign_recipients: "dealership_id",
  reply_templates: "dealership_id",
  triage_corrections: "dealership_id",
  support_access_requests: "dealership_id",
};

let sql: Sql;
let dealershipA: string;
let dealershipB: string;
let ownerA: TestMember;
let repA1: TestMember;
let repA2: TestMember;
let ownerB: TestMember;
let leadOfRepA2: string;

/** Outcome of an attempted statement: rows affected/returned, or the Postgres error code. */
async function attempt(
  member: TestMember | "anon",
  fn: (tx: TransactionSql) => Promise<{ count: number }>,
): Promise<number | string> {
  try {
    if (member === "anon") {
      return (await sql.begin(async (tx) => {
        await tx`select set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role":"anon"}', true)`;
        return (await fn(tx as unknown as TransactionSql)).count;
      })) as number;
    }
    return await withAccount(member.claims, async ({ sql: tx }) => (await fn(tx)).count);
  } catch (err) {
    return String((err as { code?: string }).code ?? err);
  }
}

/** Refused means a permission / RLS error or zero rows touched. */
function expectRefused(outcome: number | string) {
  if (typeof outcome === "number") expect(outcome).toBe(0);
  else expect(["42501", "42P01"]).toContain(outcome);
}

async function snapshot(table: string, column: string, dealershipId: string) {
  return sql.unsafe(`select * from public.${table} where ${column} = $1 order by 1`, [dealershipId]);
}

beforeAll(async () => {
  sql = adminSql();
  dealershipA = await createDealership(sql, "A Motors");
  dealershipB = await createDealership(sql, "B Auto");
  ownerA = await createMember(sql, dealershipA, "owner");
  repA1 = await createMember(sql, dealershipA, "rep", "rep1");
  repA2 = await createMember(sql, dealershipA, "rep", "rep2");
  ownerB = await createMember(sql, dealershipB, "owner");
  await createLead(sql, dealershipA, { phone: "+13125550111", firstName: "Ann" }, repA1.userId);
  leadOfRepA2 = await createLead(sql, dealershipA, { phone: "+13125550112", firstName: "Bob" }, repA2.userId);
  await createLead(sql, dealershipB, { phone: "+17735550113", firstName: "Cy" }, null);
  await sql`insert into public.audit_events (dealership_id, actor_user_id, action) values (${dealershipB}, ${ownerB.userId}, 'test.seeded')`;
  await sql`insert into public.lead_sources (dealership_id, system_key) values (${dealershipB}, 'inbound_sms')`;
  // Messaging: B has a sending number and a conversation with one inbound message.
  const numberB = await createSendingNumber(sql, dealershipB);
  const inboundB = await seedInboundMessage(sql, dealershipB, {
    sendingNumberId: numberB.id,
    from: testLeadPhone(),
    body: "Hi from B",
  });
  // Reply triage: B has an answer template and a staff correction.
  await sql`insert into public.reply_templates (dealership_id, intent, body, updated_by) values (${dealershipB}, 'question', 'B answers', ${ownerB.userId})`;
  await sql`insert into public.triage_corrections (dealership_id, message_id, lead_id, to_intent, corrected_by)
    values (${dealershipB}, ${inboundB.messageId}, ${inboundB.leadId}, 'interested', ${ownerB.userId})`;
  // Imports: B has an import record, a saved mapping, a do-not-contact entry and a consent change.
  await sql`insert into public.lead_imports (dealership_id, created_by, status, finished_at) values (${dealershipB}, ${ownerB.userId}, 'completed', now())`;
  await sql`insert into public.import_mappings (dealership_id, shape_fingerprint, mapping, updated_by) values (${dealershipB}, ${"ab".repeat(32)}, '{"Phone":"phone"}', ${ownerB.userId})`;
  await sql`insert into public.do_not_contact (dealership_id, phone_bidx, source, created_by) values (${dealershipB}, ${"b".repeat(43)}, 'manual', ${ownerB.userId})`;
  const consentLead = await createLead(sql, dealershipB, { phone: "+17735550114", firstName: "Di" }, null);
  await sql`update public.leads set consent_status = 'opted_out', consent_source = 'test' where id = ${consentLead}`;
  await sql`insert into public.invitations (dealership_id, email, role, invited_by, expires_at) values (${dealershipB}, 'new-hire@b.test', 'rep', ${ownerB.userId}, now() + interval '1 day')`;
  // Campaigns: B has a campaign with one queued recipient (its settings row comes with the dealership).
  const [campaignB] =
    await sql`insert into public.campaigns (dealership_id, name, sending_number_id, template, status, launched_at)
    values (${dealershipB}, 'B spring', ${numberB.id}, 'Hi', 'sending', now()) returning id`;
  await sql`insert into public.campaign_recipients (campaign_id, dealership_id, lead_id) values (${campaignB!.id}, ${dealershipB}, ${consentLead})`;
  // Support access: a platform operator asked B for access.
  const operator = await createOperator(sql);
  await sql`insert into public.support_access_requests (dealership_id, operator_user_id, reason) values (${dealershipB}, ${operator.userId}, 'Checking a stuck import')`;
});

afterAll(async () => {
  await sql?.end();
});

describe("RLS is on everywhere", () => {
  it("every table in public has row level security enabled and is in the matrix", async () => {
    const tables =
      await sql`select c.relname, c.relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')`;
    expect(tables.length).toBeGreaterThan(0);
    for (const t of tables) {
      expect({ table: t.relname, rls: t.relrowsecurity }).toEqual({ table: t.relname, rls: true });
      expect(Object.keys(TENANT_TABLES)).toContain(t.relname);
    }
  });

  it("no policy is written for anon or public, and policies use (select auth.uid())", async () => {
    const policies =
      await sql`select tablename, policyname, roles, qual, with_check from pg_policies where schemaname = 'public'`;
    for (const p of policies) {
      expect(p.roles).toEqual(["authenticated"]);
      for (const expr of [p.qual, p.with_check]) {
        if (expr) expect(String(expr)).not.toMatch(/(?<!SELECT )auth\.uid\(\)/);
      }
    }
  });

  it("anon can execute no function of ours, and PUBLIC has no execute right by default", async () => {
    const callable =
      await sql`select p.oid::regprocedure::text as fn from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname in ('public', 'private') and p.prokind = 'f' and has_function_privilege('anon', p.oid, 'execute')`;
    expect(callable.map((r) => r.fn)).toEqual([]);
  });

  it("SECURITY DEFINER functions all pin search_path", async () => {
    const fns =
      await sql`select n.nspname, p.proname, p.proconfig from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where p.prosecdef and n.nspname in ('public', 'private')`;
    expect(fns.length).toBeGreaterThan(0);
    for (const f of fns)
      expect({ fn: f.proname, config: f.proconfig }).toEqual({ fn: f.proname, config: ['search_path=""'] });
  });
});

describe.each(Object.entries(TENANT_TABLES))("%s: dealership A cannot touch dealership B", (table, column) => {
  it("select sees nothing of B", async () => {
    expect(
      await attempt(ownerA, (tx) => tx.unsafe(`select * from public.${table} where ${column} = $1`, [dealershipB])),
    ).toBe(0);
    // Sanity: B's owner does see B's rows, so the zero above is RLS, not an empty table.
    expect(
      await attempt(ownerB, (tx) => tx.unsafe(`select * from public.${table} where ${column} = $1`, [dealershipB])),
    ).toBeGreaterThan(0);
  });

  it("insert into B is refused", async () => {
    const rows: Record<string, string> = {
      dealerships: `insert into public.dealerships (id, name) values ('${dealershipB}', 'Hijack')`,
      memberships: `insert into public.memberships (dealership_id, user_id, role) values ('${dealershipB}', '${ownerA.userId}', 'owner')`,
      leads: `insert into public.leads (dealership_id, phone_bidx) values ('${dealershipB}', 'x')`,
      audit_events: `insert into public.audit_events (dealership_id, action) values ('${dealershipB}', 'forged.event')`,
      sending_numbers: `insert into public.sending_numbers (dealership_id, phone_number) values ('${dealershipB}', '+15550000000')`,
      conversations: `insert into public.conversations (dealership_id, lead_id) values ('${dealershipB}', gen_random_uuid())`,
      lead_imports: `insert into public.lead_imports (dealership_id, created_by) values ('${dealershipB}', '${ownerA.userId}')`,
      import_mappings: `insert into public.import_mappings (dealership_id, shape_fingerprint, mapping, updated_by) values ('${dealershipB}', '${"cd".repeat(32)}', '{}', '${ownerA.userId}')`,
      do_not_contact: `insert into public.do_not_contact (dealership_id, phone_bidx, source, created_by) values ('${dealershipB}', '${"c".repeat(43)}', 'manual', '${ownerA.userId}')`,
      consent_events: `insert into public.consent_events (lead_id, dealership_id, status) values (gen_random_uuid(), '${dealershipB}', 'opted_in')`,
      lead_sources: `insert into public.lead_sources (dealership_id, label_enc, label_bidx) values ('${dealershipB}', 'v1.k.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA', '${"l".repeat(43)}')`,
      reply_templates: `insert into public.reply_templates (dealership_id, intent, body, updated_by) values ('${dealershipB}', 'other', 'Hijack', '${ownerA.userId}')`,
      triage_corrections: `insert into public.triage_corrections (dealership_id, message_id, lead_id, to_intent) values ('${dealershipB}', gen_random_uuid(), gen_random_uuid(), 'other')`,
      messages: `insert into public.messages (id, dealership_id, conversation_id, lead_id, direction, body_enc, status)
        values (gen_random_uuid(), '${dealershipB}', gen_random_uuid(), gen_random_uuid(), 'inbound', 'x', 'received')`,
      invitations: `insert into public.invitations (dealership_id, email, role, expires_at) values ('${dealershipB}', 'me@a.test', 'owner', now() + interval '1 day')`,
      dealership_campaign_settings: `insert into public.dealership_campaign_settings (dealership_id) values ('${dealershipB}')`,
      campaigns: `insert into public.campaigns (dealership_id, name, template) values ('${dealershipB}', 'Hijack', 'Hi')`,
      campaign_recipients: `insert into public.campaign_recipients (campaign_id, dealership_id, lead_id)
        values (gen_random_uuid(), '${dealershipB}', gen_random_uuid())`,
      support_access_requests: `insert into public.support_access_requests (dealership_id, operator_user_id, reason, status)
        values ('${dealershipB}', '${ownerA.userId}', 'Let me in, please', 'granted')`,
    };
    const outcome = await attempt(ownerA, (tx) => tx.unsafe(rows[table]!));
    expect(typeof outcome).toBe("string");
    expectRefused(outcome);
  });

  it("update of B changes nothing", async () => {
    const before = await snapshot(table, column, dealershipB);
    const sets: Record<string, string> = {
      dealerships: "name = 'Pwned'",
      memberships: "role = 'rep'",
      leads: "status = 'lost'",
      audit_events: "action = 'tampered.event'",
      sending_numbers: "label = 'Pwned'",
      conversations: "unread_count = 0",
      messages: "status = 'failed'",
      lead_imports: "status = 'failed', error = 'pwned', finished_at = now()",
      import_mappings: "mapping = '{}'",
      do_not_contact: "source = 'pwned'",
      consent_events: "status = 'opted_in'",
      lead_sources: "system_key = null",
      invitations: "email = 'me@a.test'",
      dealership_campaign_settings: "daily_send_cap = 1",
      campaigns: "status = 'paused'",
      campaign_recipients: "status = 'canceled'",
      reply_templates: "body = 'Pwned', auto_send = true",
      triage_corrections: "to_intent = 'hostile'",
      support_access_requests: "status = 'granted', expires_at = now() + interval '1 hour'",
    };
    expectRefused(
      await attempt(ownerA, (tx) =>
        tx.unsafe(`update public.${table} set ${sets[table]} where ${column} = $1`, [dealershipB]),
      ),
    );
    expect(await snapshot(table, column, dealershipB)).toEqual(before);
  });

  it("delete from B removes nothing", async () => {
    const before = await snapshot(table, column, dealershipB);
    expectRefused(
      await attempt(ownerA, (tx) => tx.unsafe(`delete from public.${table} where ${column} = $1`, [dealershipB])),
    );
    expect(await snapshot(table, column, dealershipB)).toEqual(before);
  });

  it("anon sees and changes nothing", async () => {
    const before = await snapshot(table, column, dealershipB);
    expectRefused(await attempt("anon", (tx) => tx.unsafe(`select * from public.${table}`)));
    expectRefused(
      await attempt("anon", (tx) => tx.unsafe(`delete from public.${table} where ${column} = $1`, [dealershipB])),
    );
    expect(await snapshot(table, column, dealershipB)).toEqual(before);
  });
});

describe("reps see only their own leads", () => {
  it("a rep reads only leads assigned to them", async () => {
    const rows = await withAccount(
      repA1.claims,
      ({ sql: tx }) => tx`select assigned_to from public.leads where dealership_id = ${dealershipA}`,
    );
    expect(rows.length).toBe(1);
    expect(rows[0]!.assigned_to).toBe(repA1.userId);
  });

  it("a rep cannot read, update, take over or delete another rep's lead", async () => {
    expect(await attempt(repA1, (tx) => tx`select * from public.leads where id = ${leadOfRepA2}`)).toBe(0);
    expectRefused(await attempt(repA1, (tx) => tx`update public.leads set status = 'lost' where id = ${leadOfRepA2}`));
    expectRefused(
      await attempt(repA1, (tx) => tx`update public.leads set assigned_to = ${repA1.userId} where id = ${leadOfRepA2}`),
    );
    expectRefused(await attempt(repA1, (tx) => tx`delete from public.leads where id = ${leadOfRepA2}`));
    const [lead] = await sql`select status, assigned_to from public.leads where id = ${leadOfRepA2}`;
    expect(lead).toEqual({ status: "new", assigned_to: repA2.userId });
  });

  it("a rep cannot hand their lead to someone else", async () => {
    const own = await createLead(sql, dealershipA, { phone: "+13125550114" }, repA1.userId);
    expectRefused(
      await attempt(repA1, (tx) => tx`update public.leads set assigned_to = ${repA2.userId} where id = ${own}`),
    );
  });

  it("the owner sees every lead of their dealership", async () => {
    expect(
      await attempt(ownerA, (tx) => tx`select 1 from public.leads where dealership_id = ${dealershipA}`),
    ).toBeGreaterThanOrEqual(2);
  });

  it("a lead cannot be assigned to a member of another dealership", async () => {
    const outcome = await attempt(
      ownerA,
      (tx) =>
        tx`insert into public.leads (dealership_id, phone_bidx, assigned_to) values (${dealershipA}, ${"y".repeat(43)}, ${ownerB.userId})`,
    );
    expect(outcome).toBe("23503");
  });
});

describe("definer functions re-check membership", () => {
  it("record_audit_event is closed (audit rows come only from the operations they describe)", async () => {
    expect(await attempt(ownerA, (tx) => tx`select public.record_audit_event(${dealershipB}, 'forged.event')`)).toBe(
      "42501",
    );
    expect(await attempt(ownerA, (tx) => tx`select public.record_audit_event(${dealershipA}, 'forged.event')`)).toBe(
      "42501",
    );
  });

  it("dealership_members refuses another dealership", async () => {
    expect(await attempt(ownerA, (tx) => tx`select * from public.dealership_members(${dealershipB})`)).toBe("42501");
  });

  it("reps cannot read the audit log", async () => {
    expect(
      await attempt(repA1, (tx) => tx`select * from public.audit_events where dealership_id = ${dealershipA}`),
    ).toBe(0);
  });

  it("the private schema's helpers are not callable by anon", async () => {
    expect(await attempt("anon", (tx) => tx`select private.has_role_on_dealership(${dealershipA})`)).toBe("42501");
  });
});

describe("permissions come from the one map", () => {
  it("no live policy spells out a role array", async () => {
    const rows = await sql<{ tablename: string; policyname: string }[]>`
      select tablename, policyname from pg_policies
      where schemaname = 'public'
        and (coalesce(qual, '') ~ 'membership_role\\[\\]|''(owner|admin|manager|rep)''' or coalesce(with_check, '') ~ 'membership_role\\[\\]|''(owner|admin|manager|rep)''')`;
    expect(rows).toEqual([]);
  });

  it("no public or private function checks a literal role array (they call private.has_permission)", async () => {
    const rows = await sql<{ name: string }[]>`
      select n.nspname || '.' || p.proname as name
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname in ('public', 'private') and p.prokind = 'f'
        and p.prosrc ~ 'array\\[''(owner|admin|manager|rep)'''`;
    expect(rows).toEqual([]);
  });

  it("every no-user role (SERVICE_ROLES) cannot log in, holds no table grant, and the API gateway cannot become it", async () => {
    const roles = await sql<{ rolname: string; rolcanlogin: boolean; tables: number; gateway_member: boolean }[]>`
      select r.rolname, r.rolcanlogin,
             (select count(*)::int from information_schema.role_table_grants g where g.grantee = r.rolname) as tables,
             exists (select 1 from pg_auth_members am join pg_roles a on a.oid = am.member
                     where am.roleid = r.oid and a.rolname in ('authenticator', 'authenticated', 'anon')) as gateway_member
      from pg_roles r where r.rolname = any(${[...SERVICE_ROLES]}) order by r.rolname`;
    expect(roles).toEqual(
      [...SERVICE_ROLES].sort().map((rolname) => ({ rolname, rolcanlogin: false, tables: 0, gateway_member: false })),
    );
  });
});
