/**
 * The invariants issue 8 moved into the database, checked the way an attacker with the Data API
 * would meet them: SQL run as the `authenticated` role (through withUser, exactly as PostgREST
 * does), never through the app's own code. Consent stickiness and the status/consent rule,
 * the shape of ciphertext and blind-index columns, who may write the audit log and the sequences,
 * the lead_sources list, and record_outbound_result's membership check.
 */
import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blindIndex } from "@/lib/crypto/blind-index";
import { encryptField } from "@/lib/crypto/field-cipher";
import type { TransactionSql } from "postgres";
import { withAccount } from "@/lib/db/scope";
import { createSendingNumber, seedInboundMessage, testLeadPhone } from "@/lib/sms/testing/messaging-fixtures";
import {
  adminSql,
  createDealership,
  createLead,
  createMember,
  recordRecentAuth,
  type TestMember,
} from "@/local-stack/test-fixtures";

let sql: Sql;
let dealershipA: string;
let dealershipB: string;
let ownerA: TestMember;
let managerA: TestMember;
let repA: TestMember;
let ownerB: TestMember;

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string }) => e.code ?? String(e),
  );
const as = <T>(member: TestMember, fn: (tx: TransactionSql) => Promise<T>) =>
  withAccount(member.claims, ({ sql }) => fn(sql));
const asAnon = <T>(fn: (tx: Sql) => Promise<T>) =>
  sql.begin(async (tx) => {
    await tx`select set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role":"anon"}', true)`;
    return fn(tx as unknown as Sql);
  });
const leadRow = async (id: string) =>
  (await sql`select status, consent_status, consent_source, version from public.leads where id = ${id}`)[0]!;

/** A lead of A that has texted STOP (through the webhook's own role and function). */
async function optedOutLead(assignedTo: string | null = null): Promise<string> {
  const phone = testLeadPhone();
  const id = await createLead(sql, dealershipA, { phone, firstName: "Olive" }, assignedTo);
  const number = await createSendingNumber(sql, dealershipA);
  await sql.begin(async (tx) => {
    await tx`set local role sms_webhook`;
    await seedInboundMessage(tx as unknown as Sql, dealershipA, {
      sendingNumberId: number.id,
      from: phone,
      body: "STOP",
      consentAction: "opt_out",
    });
  });
  expect(await leadRow(id)).toMatchObject({ status: "opted_out", consent_status: "opted_out" });
  return id;
}

beforeAll(async () => {
  sql = adminSql();
  dealershipA = await createDealership(sql, "Invariant Motors");
  dealershipB = await createDealership(sql, "Other Invariant Auto");
  ownerA = await createMember(sql, dealershipA, "owner");
  managerA = await createMember(sql, dealershipA, "manager");
  repA = await createMember(sql, dealershipA, "rep");
  ownerB = await createMember(sql, dealershipB, "owner");
  // Sending-number changes need a recent re-authentication (step-up), as a fresh sign-in gives.
  await recordRecentAuth(sql, ownerA);
  await recordRecentAuth(sql, ownerB);
});

afterAll(async () => {
  await sql?.end();
});

describe("an opt-out is sticky (finding 3)", () => {
  it("a direct update of consent on an opted-out lead is refused, whatever the value and whoever asks", async () => {
    const id = await optedOutLead(repA.userId);
    for (const consent of ["unknown", "opted_in"]) {
      expect(
        await codeOf(as(ownerA, (tx) => tx`update public.leads set consent_status = ${consent} where id = ${id}`)),
      ).toBe("RL010");
      expect(
        await codeOf(
          as(
            repA,
            (tx) => tx`update public.leads set consent_status = ${consent}, status = 'engaged' where id = ${id}`,
          ),
        ),
      ).toBe("RL010");
    }
    // A save of other fields that also "sets" the consent it was rendered with is refused too.
    expect(
      await codeOf(
        as(
          ownerA,
          (tx) => tx`update public.leads set first_name_enc = null, consent_status = 'unknown' where id = ${id}`,
        ),
      ),
    ).toBe("RL010");
    expect(await leadRow(id)).toMatchObject({ status: "opted_out", consent_status: "opted_out" });
  });

  it("the lead's own START opts back in (the sms_webhook path)", async () => {
    const id = await optedOutLead();
    const [{ phone_bidx: bidx }] = (await sql`select phone_bidx from public.leads where id = ${id}`) as unknown as [
      { phone_bidx: string },
    ];
    const [number] = await sql`select id from public.sending_numbers where dealership_id = ${dealershipA} limit 1`;
    await sql.begin(async (tx) => {
      await tx`set local role sms_webhook`;
      const messageId = randomUUID();
      await tx`select * from private.record_inbound_message(${number!.id}, ${messageId}, ${`SM${randomUUID().replace(/-/g, "")}`},
        ${encryptField("START", { dealershipId: dealershipA, table: "messages", column: "body_enc", rowId: messageId })}, 1, 0,
        ${bidx}, ${randomUUID()}, null, 'opt_in', 'sms_keyword:START', false)`;
    });
    expect(await leadRow(id)).toMatchObject({
      status: "engaged",
      consent_status: "opted_in",
      consent_source: "sms_keyword:START",
    });
  });

  it("staff re-consent needs a listed reason and source, a manager or above, and is recorded", async () => {
    const id = await optedOutLead(repA.userId);
    expect(
      await codeOf(as(repA, (tx) => tx`select public.reconsent_lead(${id}, 'customer_asked', 'phone_call')`)),
    ).toBe("42501");
    expect(
      await codeOf(as(ownerB, (tx) => tx`select public.reconsent_lead(${id}, 'customer_asked', 'phone_call')`)),
    ).toBe("42501");
    expect(
      await codeOf(as(managerA, (tx) => tx`select public.reconsent_lead(${id}, 'because Jane said so', 'phone_call')`)),
    ).toBe("22023");
    expect(
      await codeOf(
        as(managerA, (tx) => tx`select public.reconsent_lead(${id}, 'customer_asked', 'a note with a name')`),
      ),
    ).toBe("22023");
    expect(await leadRow(id)).toMatchObject({ consent_status: "opted_out" });

    await as(managerA, (tx) => tx`select public.reconsent_lead(${id}, 'customer_asked', 'phone_call')`);
    expect(await leadRow(id)).toMatchObject({
      status: "engaged",
      consent_status: "opted_in",
      consent_source: "staff re-consent (phone_call)",
    });
    const [history] =
      await sql`select status, source, actor_user_id from public.consent_events where lead_id = ${id} order by id desc limit 1`;
    expect(history).toEqual({
      status: "opted_in",
      source: "staff re-consent (phone_call)",
      actor_user_id: managerA.userId,
    });
    const [audit] =
      await sql`select actor_user_id, metadata from public.audit_events where target_id = ${id} and action = 'lead.reconsented'`;
    expect(audit).toEqual({
      actor_user_id: managerA.userId,
      metadata: { reason: "customer_asked", source: "phone_call" },
    });
    // Not opted out any more: nothing to re-consent.
    expect(
      await codeOf(as(managerA, (tx) => tx`select public.reconsent_lead(${id}, 'customer_asked', 'phone_call')`)),
    ).toBe("RL011");
  });
});

describe("status and consent follow one rule (finding 3)", () => {
  it("status stays 'opted out' while consent is; marking the status opted out opts the lead out", async () => {
    const out = await optedOutLead();
    await as(ownerA, (tx) => tx`update public.leads set status = 'sold' where id = ${out}`);
    expect(await leadRow(out)).toMatchObject({ status: "opted_out", consent_status: "opted_out" });

    const lead = await createLead(sql, dealershipA, { phone: testLeadPhone() });
    await as(ownerA, (tx) => tx`update public.leads set status = 'opted_out' where id = ${lead}`);
    expect(await leadRow(lead)).toMatchObject({
      status: "opted_out",
      consent_status: "opted_out",
      consent_source: "status set to opted out",
    });

    const other = await createLead(sql, dealershipA, { phone: testLeadPhone() });
    await as(
      ownerA,
      (tx) =>
        tx`update public.leads set consent_status = 'opted_out', consent_source = 'staff edit' where id = ${other}`,
    );
    expect(await leadRow(other)).toMatchObject({ status: "opted_out", consent_status: "opted_out" });
  });

  it("no row can hold one without the other", async () => {
    const insert = (status: string, consent: string) =>
      codeOf(
        as(
          ownerA,
          (tx) => tx`insert into public.leads (dealership_id, phone_bidx, status, consent_status)
        values (${dealershipA}, ${blindIndex("phone", testLeadPhone(), dealershipA)}, ${status}, ${consent})`,
        ),
      );
    expect(await insert("opted_out", "unknown")).toBe("23514");
    expect(await insert("sold", "opted_out")).toBe("23514");
    expect(await insert("opted_out", "opted_out")).toBe("ok");
    const [bad] =
      await sql`select count(*)::int as n from public.leads where (status = 'opted_out') <> (consent_status = 'opted_out')`;
    expect(bad!.n).toBe(0);
  });

  it("version counts the changes a form cares about, not message activity", async () => {
    const id = await createLead(sql, dealershipA, { phone: testLeadPhone() });
    const v0 = (await leadRow(id)).version as number;
    await as(ownerA, (tx) => tx`update public.leads set last_activity_at = now() where id = ${id}`);
    expect((await leadRow(id)).version).toBe(v0);
    await as(ownerA, (tx) => tx`update public.leads set status = 'engaged' where id = ${id}`);
    expect((await leadRow(id)).version).toBe(v0 + 1);
    expect(await codeOf(as(ownerA, (tx) => tx`update public.leads set version = 1 where id = ${id}`))).toBe("42501");
  });
});

describe("what authenticated may write directly (finding 8)", () => {
  const ENVELOPE = () =>
    encryptField("x", { dealershipId: dealershipA, table: "leads", column: "first_name_enc", rowId: randomUUID() });

  it("a malformed ciphertext is refused by a check constraint, on insert and update", async () => {
    const id = await createLead(sql, dealershipA, { phone: testLeadPhone() });
    for (const bad of [
      "not-an-envelope",
      "v1.k.short.x",
      "v2.local1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA",
      `${ENVELOPE()}.extra`,
      "v1.local1.AAAAAAAAAAAAAAAA.short",
    ]) {
      expect(
        await codeOf(
          as(
            ownerA,
            (tx) => tx`insert into public.leads (dealership_id, phone_bidx, first_name_enc)
        values (${dealershipA}, ${blindIndex("phone", testLeadPhone(), dealershipA)}, ${bad})`,
          ),
        ),
      ).toBe("23514");
      expect(await codeOf(as(ownerA, (tx) => tx`update public.leads set notes_enc = ${bad} where id = ${id}`))).toBe(
        "23514",
      );
    }
    expect(
      await codeOf(
        as(
          ownerA,
          (tx) => tx`insert into public.leads (dealership_id, phone_bidx, first_name_enc)
      values (${dealershipA}, ${blindIndex("phone", testLeadPhone(), dealershipA)}, ${ENVELOPE()})`,
        ),
      ),
    ).toBe("ok");
  });

  it("the record envelope (pii_enc) holds only envelopes, and a lead holds one shape, never both", async () => {
    const id = await createLead(sql, dealershipA, { phone: testLeadPhone(), firstName: "Shape" });
    const insertWith = (columns: Record<string, string>) =>
      codeOf(
        as(
          ownerA,
          (tx) =>
            tx`insert into public.leads ${tx({
              dealership_id: dealershipA,
              phone_bidx: blindIndex("phone", testLeadPhone(), dealershipA),
              ...columns,
            })}`,
        ),
      );
    for (const bad of ["not-an-envelope", "v2.local1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA", `${ENVELOPE()}.extra`]) {
      expect(await insertWith({ pii_enc: bad })).toBe("23514");
      expect(await codeOf(as(ownerA, (tx) => tx`update public.leads set pii_enc = ${bad} where id = ${id}`))).toBe(
        "23514",
      );
    }
    expect(await insertWith({ pii_enc: ENVELOPE() })).toBe("ok");
    // Both shapes at once would leave a reader two versions of a field: refused.
    expect(await insertWith({ pii_enc: ENVELOPE(), first_name_enc: ENVELOPE() })).toBe("23514");
    expect(
      await codeOf(as(ownerA, (tx) => tx`update public.leads set notes_enc = ${ENVELOPE()} where id = ${id}`)),
    ).toBe("23514");
  });

  it("blind indexes must be 43 base64url characters; other envelope columns are held too", async () => {
    for (const bad of ["x", "a".repeat(42), "a".repeat(44), `${"a".repeat(42)}=`]) {
      expect(
        await codeOf(
          as(ownerA, (tx) => tx`insert into public.leads (dealership_id, phone_bidx) values (${dealershipA}, ${bad})`),
        ),
      ).toBe("23514");
    }
    expect(
      await codeOf(
        as(
          ownerA,
          (tx) => tx`insert into public.do_not_contact (dealership_id, phone_bidx, phone_enc, source, created_by)
      values (${dealershipA}, ${"d".repeat(43)}, 'Jane 312-555-0100', 'manual', ${ownerA.userId})`,
        ),
      ),
    ).toBe("23514");
    expect(
      await codeOf(
        as(
          ownerA,
          (tx) => tx`insert into public.lead_sources (dealership_id, label_enc, label_bidx)
      values (${dealershipA}, 'Referral from Jane', ${"s".repeat(43)})`,
        ),
      ),
    ).toBe("23514");
    expect(
      await codeOf(
        as(
          ownerA,
          (tx) => tx`insert into public.lead_imports (dealership_id, created_by, file_name_enc)
      values (${dealershipA}, ${ownerA.userId}, 'jane_smith.csv')`,
        ),
      ),
    ).toBe("23514");
  });

  it("a decrypt failure is reported only by someone who sees the lead, only for an encrypted column, once per value", async () => {
    const id = await createLead(sql, dealershipA, { phone: testLeadPhone(), firstName: "Faye" });
    expect(
      await codeOf(
        as(ownerB, (tx) => tx`select public.report_lead_decrypt_failure(${id}, 'pii_enc', 'authentication_failed')`),
      ),
    ).toBe("42501");
    expect(
      await codeOf(
        as(repA, (tx) => tx`select public.report_lead_decrypt_failure(${id}, 'pii_enc', 'authentication_failed')`),
      ),
    ).toBe("42501");
    expect(
      await codeOf(
        as(ownerA, (tx) => tx`select public.report_lead_decrypt_failure(${id}, 'status', 'authentication_failed')`),
      ),
    ).toBe("22023");
    expect(
      await codeOf(
        as(ownerA, (tx) => tx`select public.report_lead_decrypt_failure(${id}, 'pii_enc', 'forged.reason')`),
      ),
    ).toBe("22023");
    const report = () =>
      as(
        ownerA,
        async (tx) =>
          (await tx`select public.report_lead_decrypt_failure(${id}, 'pii_enc', 'authentication_failed') as n`)[0]!.n,
      );
    expect(await report()).toBe(true);
    expect(await report()).toBe(false);
    const events =
      await sql`select actor_user_id, metadata from public.audit_events where target_id = ${id} and action = 'lead.decrypt_failed'`;
    expect(events).toEqual([
      {
        actor_user_id: ownerA.userId,
        metadata: {
          column: "pii_enc",
          reason: "authentication_failed",
          fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
        },
      },
    ]);
  });
});

describe("lead sources (finding 9)", () => {
  it("the old plaintext sources are closed to the API roles; a lead cannot point at another dealership's source", async () => {
    const id = await createLead(sql, dealershipA, { phone: testLeadPhone() });
    expect(await codeOf(as(ownerA, (tx) => tx`select * from private.legacy_lead_sources`))).toBe("42501");
    expect(
      await codeOf(
        as(ownerA, (tx) => tx`insert into private.legacy_lead_sources values (${id}, ${dealershipA}, 'Jane Doe')`),
      ),
    ).toBe("42501");
    const [sourceB] =
      await sql`insert into public.lead_sources (dealership_id, system_key) values (${dealershipB}, 'inbound_sms') returning id`;
    expect(
      await codeOf(as(ownerA, (tx) => tx`update public.leads set source_id = ${sourceB!.id} where id = ${id}`)),
    ).toBe("23503");
    // Reps may not create sources, and nobody may write a system source.
    expect(
      await codeOf(
        as(
          repA,
          (tx) => tx`insert into public.lead_sources (dealership_id, label_enc, label_bidx)
      values (${dealershipA}, ${ENVELOPE_OF_SOURCE()}, ${"r".repeat(43)})`,
        ),
      ),
    ).toBe("42501");
    expect(
      await codeOf(
        as(
          ownerA,
          (tx) =>
            tx`insert into public.lead_sources (dealership_id, system_key) values (${dealershipA}, 'inbound_sms')`,
        ),
      ),
    ).toBe("42501");
  });
});
const ENVELOPE_OF_SOURCE = () =>
  encryptField("Web", { dealershipId: dealershipA, table: "lead_sources", column: "label_enc", rowId: randomUUID() });

describe("audit rows are written only by the operations they describe (finding 12)", () => {
  it("record_audit_event cannot be called, even for one's own dealership; audit_events cannot be written", async () => {
    expect(
      await codeOf(
        as(
          ownerA,
          (tx) =>
            tx`select public.record_audit_event(${dealershipA}, 'lead.reconsented', 'lead', ${randomUUID()}, '{}')`,
        ),
      ),
    ).toBe("42501");
    expect(
      await codeOf(
        as(
          ownerA,
          (tx) => tx`insert into public.audit_events (dealership_id, action) values (${dealershipA}, 'forged.event')`,
        ),
      ),
    ).toBe("42501");
  });

  it("the sequences cannot be moved by anon or authenticated", async () => {
    for (const seq of ["public.audit_events_id_seq", "public.consent_events_id_seq"]) {
      expect(await codeOf(as(ownerA, (tx) => tx`select setval(${seq}, 1)`))).toBe("42501");
      expect(await codeOf(as(ownerA, (tx) => tx`select nextval(${seq})`))).toBe("42501");
      expect(await codeOf(asAnon((tx) => tx`select setval(${seq}, 1)`))).toBe("42501");
    }
    const usable = await sql`select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'S' and n.nspname in ('public', 'private')
        and (has_sequence_privilege('authenticated', c.oid, 'usage,update,select') or has_sequence_privilege('anon', c.oid, 'usage,update,select'))`;
    expect(usable).toEqual([]);
  });

  it("a lead edit, a do-not-contact change and a sending number are audited by the database, with the real actor", async () => {
    const id = await createLead(sql, dealershipA, { phone: testLeadPhone() });
    await as(
      managerA,
      (tx) => tx`update public.leads set status = 'engaged', assigned_to = ${repA.userId} where id = ${id}`,
    );
    const leadEvents =
      await sql`select action, actor_user_id, metadata from public.audit_events where target_id = ${id} order by id`;
    expect(leadEvents).toEqual([
      { action: "lead.updated", actor_user_id: managerA.userId, metadata: { fields: "status", status: "engaged" } },
      { action: "lead.assigned", actor_user_id: managerA.userId, metadata: { assignee: repA.userId } },
    ]);

    const before = (await sql`select max(id) as id from public.audit_events where dealership_id = ${dealershipA}`)[0]!
      .id;
    const [dnc] = await as(
      repA,
      (tx) => tx`insert into public.do_not_contact (dealership_id, phone_bidx, source, created_by)
      values (${dealershipA}, ${"n".repeat(43)}, 'manual', ${repA.userId}) returning id`,
    );
    await as(ownerA, (tx) => tx`delete from public.do_not_contact where id = ${dnc!.id}`);
    // Users register numbers only through register_sending_number (which audits the addition
    // itself, see sending-number-ownership.test.ts); a direct insert is refused.
    expect(
      await codeOf(
        as(
          ownerA,
          (tx) =>
            tx`insert into public.sending_numbers (dealership_id, phone_number) values (${dealershipA}, '+15557770001')`,
        ),
      ),
    ).toBe("42501");
    const [number] =
      await sql`insert into public.sending_numbers (dealership_id, phone_number) values (${dealershipA}, '+15557770001') returning id`;
    await as(ownerA, (tx) => tx`delete from public.sending_numbers where id = ${number!.id}`);
    const events = await sql`select action, actor_user_id, target_id, metadata from public.audit_events
      where dealership_id = ${dealershipA} and id > ${before} order by id`;
    expect(events).toEqual([
      {
        action: "do_not_contact.added",
        actor_user_id: repA.userId,
        target_id: null,
        metadata: { added: 1, source: "manual" },
      },
      { action: "do_not_contact.removed", actor_user_id: ownerA.userId, target_id: dnc!.id, metadata: {} },
      { action: "sending_number.removed", actor_user_id: ownerA.userId, target_id: number!.id, metadata: {} },
    ]);
  });

  it("the dealership switch is recorded only between dealerships the user belongs to", async () => {
    expect(
      await codeOf(as(ownerA, (tx) => tx`select public.record_dealership_switch(${dealershipB}, ${dealershipA})`)),
    ).toBe("42501");
    expect(
      await codeOf(as(ownerA, (tx) => tx`select public.record_dealership_switch(${dealershipA}, ${dealershipB})`)),
    ).toBe("42501");
  });

  it("record_outbound_result is refused for a dealership the sender has left", async () => {
    const leaver = await createMember(sql, dealershipA, "manager", "leaver");
    await createSendingNumber(sql, dealershipA);
    const lead = await createLead(sql, dealershipA, { phone: testLeadPhone() });
    const messageId = randomUUID();
    const body = encryptField("Hello", {
      dealershipId: dealershipA,
      table: "messages",
      column: "body_enc",
      rowId: messageId,
    });
    await as(
      leaver,
      (tx) => tx`select * from public.queue_outbound_message(${dealershipA}, ${lead}, ${messageId}, ${body}, 1)`,
    );
    await sql`delete from public.memberships where dealership_id = ${dealershipA} and user_id = ${leaver.userId}`;
    expect(
      await codeOf(as(leaver, (tx) => tx`select public.record_outbound_result(${messageId}, null, 'failed', 21610)`)),
    ).toBe("42501");
    const [message] = await sql`select status from public.messages where id = ${messageId}`;
    expect(message!.status).toBe("pending");
    expect(await leadRow(lead)).toMatchObject({ consent_status: "unknown" });
  });
});
