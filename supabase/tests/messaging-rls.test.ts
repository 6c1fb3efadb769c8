/**
 * Messaging isolation beyond the table matrix in rls.test.ts: reps see only their own leads'
 * conversations, the user-facing functions refuse other dealerships and other reps, the
 * sms_webhook role can do nothing but its three functions, and the status rule holds for any writer.
 */
import { randomUUID } from "node:crypto";
import type { Sql, TransactionSql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withAccount, withService } from "@/lib/db/scope";
import { createSendingNumber, seedInboundMessage, testLeadPhone } from "@/lib/sms/testing/messaging-fixtures";
import { adminSql, createDealership, createMember, type TestMember } from "@/local-stack/test-fixtures";

let sql: Sql;
let dealershipA: string;
let dealershipB: string;
let ownerA: TestMember;
let rep1: TestMember;
let rep2: TestMember;
let ownerB: TestMember;
let convOfRep1: { messageId: string; leadId: string; conversationId: string };
let convOfRep2: { messageId: string; leadId: string; conversationId: string };
let convOfB: { messageId: string; leadId: string; conversationId: string };

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string }) => e.code ?? String(e),
  );

beforeAll(async () => {
  sql = adminSql();
  dealershipA = await createDealership(sql, "Msg A");
  dealershipB = await createDealership(sql, "Msg B");
  ownerA = await createMember(sql, dealershipA, "owner");
  rep1 = await createMember(sql, dealershipA, "rep", "rep1");
  rep2 = await createMember(sql, dealershipA, "rep", "rep2");
  ownerB = await createMember(sql, dealershipB, "owner");
  const numA = await createSendingNumber(sql, dealershipA);
  const numB = await createSendingNumber(sql, dealershipB);
  convOfRep1 = await seedInboundMessage(sql, dealershipA, {
    sendingNumberId: numA.id,
    from: testLeadPhone(),
    body: "for rep 1",
  });
  convOfRep2 = await seedInboundMessage(sql, dealershipA, {
    sendingNumberId: numA.id,
    from: testLeadPhone(),
    body: "for rep 2",
  });
  convOfB = await seedInboundMessage(sql, dealershipB, {
    sendingNumberId: numB.id,
    from: testLeadPhone(),
    body: "for B",
  });
  await sql`update public.leads set assigned_to = ${rep1.userId} where id = ${convOfRep1.leadId}`;
  await sql`update public.leads set assigned_to = ${rep2.userId} where id = ${convOfRep2.leadId}`;
});

afterAll(async () => {
  await sql?.end();
});

describe("reps see only their own leads' conversations", () => {
  it("a rep reads their conversation and messages, not another rep's", async () => {
    const seen = await withAccount(rep1.claims, async ({ sql: tx }) => ({
      conversations: (
        await tx<{ lead_id: string }[]>`select lead_id from public.conversations where dealership_id = ${dealershipA}`
      ).map((r) => r.lead_id),
      messages: (
        await tx<{ lead_id: string }[]>`select lead_id from public.messages where dealership_id = ${dealershipA}`
      ).map((r) => r.lead_id),
    }));
    expect(seen).toEqual({ conversations: [convOfRep1.leadId], messages: [convOfRep1.leadId] });
  });

  it("the owner sees both", async () => {
    const rows = await withAccount(
      ownerA.claims,
      ({ sql: tx }) => tx`select 1 from public.messages where dealership_id = ${dealershipA}`,
    );
    expect(rows.length).toBe(2);
  });

  it("a rep cannot mark another rep's conversation read or reply to their lead", async () => {
    expect(
      await codeOf(
        withAccount(
          rep1.claims,
          ({ sql: tx }) => tx`select public.mark_conversation_read(${convOfRep2.conversationId})`,
        ),
      ),
    ).toBe("42501");
    const q = withAccount(
      rep1.claims,
      ({ sql: tx }) =>
        tx`select * from public.queue_outbound_message(${dealershipA}, ${convOfRep2.leadId}, ${randomUUID()}, 'v1.x.y.z', 1)`,
    );
    expect(await codeOf(q)).toBe("42501");
    const [conv] = await sql`select unread_count from public.conversations where id = ${convOfRep2.conversationId}`;
    expect(conv!.unread_count).toBe(1);
  });
});

describe("functions refuse another dealership", () => {
  it("queue_outbound_message, mark_conversation_read and record_outbound_result refuse B's rows", async () => {
    expect(
      await codeOf(
        withAccount(
          ownerA.claims,
          ({ sql: tx }) =>
            tx`select * from public.queue_outbound_message(${dealershipB}, ${convOfB.leadId}, ${randomUUID()}, 'v1.x.y.z', 1)`,
        ),
      ),
    ).toBe("42501");
    // Naming A while pointing at B's lead: the lead is not found in A.
    expect(
      await codeOf(
        withAccount(
          ownerA.claims,
          ({ sql: tx }) =>
            tx`select * from public.queue_outbound_message(${dealershipA}, ${convOfB.leadId}, ${randomUUID()}, 'v1.x.y.z', 1)`,
        ),
      ),
    ).toBe("42501");
    expect(
      await codeOf(
        withAccount(
          ownerA.claims,
          ({ sql: tx }) => tx`select public.mark_conversation_read(${convOfB.conversationId})`,
        ),
      ),
    ).toBe("42501");
    expect(
      await codeOf(
        withAccount(
          ownerA.claims,
          ({ sql: tx }) => tx`select public.record_outbound_result(${convOfB.messageId}, null, 'failed', 21610)`,
        ),
      ),
    ).toBe("42501");
    const [lead] = await sql`select consent_status from public.leads where id = ${convOfB.leadId}`;
    expect(lead!.consent_status).toBe("unknown");
  });

  it("reps cannot manage sending numbers; owners can only in their own dealership", async () => {
    expect(
      await codeOf(
        withAccount(
          rep1.claims,
          ({ sql: tx }) =>
            tx`insert into public.sending_numbers (dealership_id, phone_number) values (${dealershipA}, '+15551110000')`,
        ),
      ),
    ).toBe("42501");
    expect(
      await codeOf(
        withAccount(
          ownerB.claims,
          ({ sql: tx }) =>
            tx`insert into public.sending_numbers (dealership_id, phone_number) values (${dealershipA}, '+15551110001')`,
        ),
      ),
    ).toBe("42501");
  });
});

describe("the sms_webhook role", () => {
  // Through the app's own service path (lib/db/scope.ts), so the test covers what the webhooks run as.
  const asWebhook = <T>(fn: (tx: TransactionSql) => Promise<T>) => withService("sms_webhook", ({ sql: tx }) => fn(tx));

  it("is NOLOGIN, not reachable from the API gateway's role, and holds no table privileges", async () => {
    const [role] = await sql`select rolcanlogin, rolbypassrls, rolsuper from pg_roles where rolname = 'sms_webhook'`;
    expect(role).toEqual({ rolcanlogin: false, rolbypassrls: false, rolsuper: false });
    const [viaAuthenticator] = await sql`select pg_has_role('authenticator', 'sms_webhook', 'member') as m`;
    expect(viaAuthenticator!.m).toBe(false);
    const grants =
      await sql`select table_schema, table_name from information_schema.role_table_grants where grantee = 'sms_webhook'`;
    expect(grants).toEqual([]);
  });

  it("may execute exactly its functions (in public and private): routing, storing, status, reply triage", async () => {
    const fns = await sql`
      select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname in ('public', 'private') and has_function_privilege('sms_webhook', p.oid, 'execute')
        and p.prorettype <> 'trigger'::regtype -- trigger functions cannot be called directly
      order by 1`;
    expect(fns.map((f) => f.proname)).toEqual([
      "apply_status_callback",
      "record_auto_answer",
      "record_inbound_message",
      "record_reply_triage",
      "reply_triage_context",
      "route_inbound_sms",
    ]);
  });

  it("cannot read or write tables directly", async () => {
    for (const stmt of [
      "select * from public.messages",
      "select * from public.leads",
      "update public.leads set consent_status = 'opted_out'",
      "select private.rate_limit_hit('x', 1, 1)",
    ]) {
      expect(await codeOf(asWebhook((tx) => tx.unsafe(stmt)))).toBe("42501");
    }
  });
});

describe("the status rule holds for every writer", () => {
  it("a terminal status never changes, even for the superuser; non-terminal only moves forward", async () => {
    const id = randomUUID();
    await sql`insert into public.messages (id, dealership_id, conversation_id, lead_id, direction, body_enc, status)
      values (${id}, ${dealershipA}, ${convOfRep1.conversationId}, ${convOfRep1.leadId}, 'outbound', 'v1.x.y.z', 'queued')`;
    const statusAfter = async (s: string, code: number | null = null) =>
      (
        await sql`update public.messages set status = ${s}, error_code = ${code} where id = ${id} returning status, error_code`
      )[0];
    expect(await statusAfter("sent")).toEqual({ status: "sent", error_code: null });
    expect(await statusAfter("queued")).toEqual({ status: "sent", error_code: null });
    expect(await statusAfter("delivered")).toEqual({ status: "delivered", error_code: null });
    expect(await statusAfter("sent")).toEqual({ status: "delivered", error_code: null });
    expect(await statusAfter("undelivered", 30007)).toEqual({ status: "delivered", error_code: null });
  });
});
