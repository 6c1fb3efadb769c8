/**
 * Lead erasure against the real database, as the `authenticated` role: owners/admins only, after
 * a recent re-authentication; the lead, its conversation, messages and consent history are gone;
 * an opt-out leaves only a blind-index tombstone that a re-import and the campaign audience obey,
 * and that members cannot remove; audited.
 */
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countAudience } from "@/lib/campaigns/audience";
import { blindIndex } from "@/lib/crypto/blind-index";
import { withUser } from "@/lib/db/scope";
import { doNotContactSet } from "@/lib/leads/do-not-contact";
import { createSendingNumber, seedInboundMessage, testLeadPhone } from "@/lib/sms/testing/messaging-fixtures";
import {
  adminSql,
  createDealership,
  createLead,
  createMember,
  recordRecentAuth,
  type TestMember,
} from "@/local-stack/test-fixtures";
import { eraseLead } from "./erase-lead";

let sql: Sql;
let dealership: string;
let other: string;
let owner: TestMember;
let manager: TestMember;
let otherOwner: TestMember;
let numberId: string;

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string }) => e.code ?? String(e),
  );
const erase = (m: TestMember, leadId: string, d = dealership) => withUser(m.claims, d, (s) => eraseLead(s, leadId));

/** A lead with an inbound conversation; STOP makes them opted out. */
async function leadWithMessages(body: string): Promise<{ leadId: string; phone: string }> {
  const phone = testLeadPhone();
  const leadId = await createLead(sql, dealership, { phone, firstName: "Erin" });
  await sql.begin(async (tx) => {
    await tx`set local role sms_webhook`;
    await seedInboundMessage(tx as unknown as Sql, dealership, {
      sendingNumberId: numberId,
      from: phone,
      body,
      consentAction: body === "STOP" ? "opt_out" : "none",
    });
  });
  return { leadId, phone };
}

const countsFor = async (leadId: string) =>
  (
    await sql`select
      (select count(*)::int from public.leads where id = ${leadId}) as leads,
      (select count(*)::int from public.messages where lead_id = ${leadId}) as messages,
      (select count(*)::int from public.conversations where lead_id = ${leadId}) as conversations,
      (select count(*)::int from public.consent_events where lead_id = ${leadId}) as consent_events`
  )[0];

beforeAll(async () => {
  sql = adminSql();
  dealership = await createDealership(sql, "Erasure Motors");
  other = await createDealership(sql, "Other Motors");
  owner = await createMember(sql, dealership, "owner");
  manager = await createMember(sql, dealership, "manager");
  otherOwner = await createMember(sql, other, "owner");
  numberId = (await createSendingNumber(sql, dealership)).id;
  await recordRecentAuth(sql, owner);
  await recordRecentAuth(sql, manager);
  await recordRecentAuth(sql, otherOwner);
});
afterAll(async () => {
  await sql.end();
});

describe("lead erasure", () => {
  it("is refused to a manager, to another dealership's owner, and to an owner without a recent re-authentication", async () => {
    const { leadId } = await leadWithMessages("hello");
    expect(await codeOf(erase(manager, leadId))).toBe("P0002");
    expect(await codeOf(erase(otherOwner, leadId, other))).toBe("P0002");
    await recordRecentAuth(sql, owner, "password", 600);
    expect(await codeOf(erase(owner, leadId))).toBe("RL040");
    await recordRecentAuth(sql, owner);
    expect((await countsFor(leadId))!.leads).toBe(1);
  });

  it("deletes a lead who never opted out with all their messages, and keeps no tombstone", async () => {
    const { leadId, phone } = await leadWithMessages("Is the truck still there?");
    expect(await erase(owner, leadId)).toEqual({ tombstone: false });
    expect(await countsFor(leadId)).toEqual({ leads: 0, messages: 0, conversations: 0, consent_events: 0 });
    const dnc = await sql`select 1 from public.do_not_contact
      where dealership_id = ${dealership} and phone_bidx = ${blindIndex("phone", phone, dealership)}`;
    expect(dnc).toHaveLength(0);
  });

  it("an opted-out person leaves only a blind-index tombstone; a re-import of them stays suppressed; audited", async () => {
    const { leadId, phone } = await leadWithMessages("STOP");
    expect(await erase(owner, leadId)).toEqual({ tombstone: true });
    expect(await countsFor(leadId)).toEqual({ leads: 0, messages: 0, conversations: 0, consent_events: 0 });
    const bidx = blindIndex("phone", phone, dealership);
    const [tomb] = await sql`select phone_enc, source from public.do_not_contact
      where dealership_id = ${dealership} and phone_bidx = ${bidx}`;
    expect(tomb).toEqual({ phone_enc: null, source: "erased_opt_out" });
    const [audit] = await sql`select actor_user_id, metadata from public.audit_events
      where dealership_id = ${dealership} and action = 'lead.erased' and target_id = ${leadId}`;
    expect(audit).toEqual({ actor_user_id: owner.userId, metadata: { messages: 1, opt_out_tombstone: true } });

    // The person comes back in a CRM file: the import's do-not-contact lookup finds them ...
    const reimported = await createLead(sql, dealership, { phone, firstName: "Erin" });
    await withUser(owner.claims, dealership, async (scope) => {
      expect((await doNotContactSet(scope, [bidx])).has(bidx)).toBe(true);
      // ... and no campaign reaches them.
      const count = await countAudience(scope, {});
      expect(count.excluded.do_not_contact).toBeGreaterThanOrEqual(1);
      const [row] = await scope.sql`select l.id from public.leads l
        where l.id = ${reimported} and exists (select 1 from public.do_not_contact d
          where d.dealership_id = l.dealership_id and d.phone_bidx = l.phone_bidx)`;
      expect(row?.id).toBe(reimported);
    });
  });

  it("members cannot remove the tombstone from the do-not-contact list", async () => {
    const { leadId, phone } = await leadWithMessages("STOP");
    await erase(owner, leadId);
    const bidx = blindIndex("phone", phone, dealership);
    const code = await codeOf(
      withUser(
        owner.claims,
        dealership,
        (s) => s.sql`delete from public.do_not_contact where dealership_id = ${dealership} and phone_bidx = ${bidx}`,
      ),
    );
    expect(code).toBe("RL080");
  });
});
