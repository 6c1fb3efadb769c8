/**
 * Campaign invariants held by Postgres itself, as SQL sent by the `authenticated` role (what the
 * Data API would send) and by the worker's `sms_sender` role: users never write the queue or a
 * campaign's status, launching needs campaigns.manage, the worker's functions are the worker's
 * alone, the worker reads no table, and the phone mark is not the users' to set.
 */
import type { Sql, TransactionSql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withAccount } from "@/lib/db/scope";
import {
  addLead,
  campaignDealership,
  newIdempotencyKey,
  type CampaignDealership,
} from "@/local-stack/campaign-fixtures";
import { encryptMessageBody } from "@/lib/sms/message-body";
import { adminSql, type TestMember } from "@/local-stack/test-fixtures";
import { randomUUID } from "node:crypto";

let sql: Sql;
let d: CampaignDealership;
let campaignId: string;
let draftId: string;
let leadId: string;

/** Rows touched, or the Postgres error code. */
async function as(
  member: TestMember,
  fn: (tx: TransactionSql) => Promise<{ count: number }>,
): Promise<number | string> {
  try {
    return await withAccount(member.claims, async ({ sql: tx }) => (await fn(tx)).count);
  } catch (err) {
    return String((err as { code?: string }).code ?? err);
  }
}

async function asRole(role: string, fn: (tx: TransactionSql) => Promise<{ count: number }>): Promise<number | string> {
  try {
    return (await sql.begin(async (tx) => {
      await tx`select set_config('role', ${role}, true)`;
      return (await fn(tx as unknown as TransactionSql)).count;
    })) as number;
  } catch (err) {
    return String((err as { code?: string }).code ?? err);
  }
}

beforeAll(async () => {
  sql = adminSql();
  d = await campaignDealership(sql, "Invariant Motors");
  leadId = (await addLead(sql, d.dealershipId)).id;
  const [c] =
    await sql`insert into public.campaigns (dealership_id, name, sending_number_id, template, status, launched_at)
    values (${d.dealershipId}, 'Live', ${d.numberId}, 'Hi', 'sending', now()) returning id`;
  campaignId = c!.id;
  await sql`insert into public.campaign_recipients (campaign_id, dealership_id, lead_id) values (${campaignId}, ${d.dealershipId}, ${leadId})`;
  const [dr] = await sql`insert into public.campaigns (dealership_id, name, sending_number_id, template)
    values (${d.dealershipId}, 'Draft', ${d.numberId}, 'Hi') returning id`;
  draftId = dr!.id;
});

afterAll(() => sql.end());

describe("users never write the queue or a campaign directly", () => {
  it("not even the owner can insert, update or delete queue rows", async () => {
    expect(
      await as(
        d.owner,
        (tx) => tx`insert into public.campaign_recipients (campaign_id, dealership_id, lead_id)
        values (${draftId}, ${d.dealershipId}, ${leadId})`,
      ),
    ).toBe("42501");
    expect(
      await as(
        d.owner,
        (tx) => tx`update public.campaign_recipients set status = 'sent' where campaign_id = ${campaignId}`,
      ),
    ).toBe("42501");
    expect(
      await as(d.owner, (tx) => tx`delete from public.campaign_recipients where campaign_id = ${campaignId}`),
    ).toBe("42501");
    const [row] = await sql`select status from public.campaign_recipients where campaign_id = ${campaignId}`;
    expect(row!.status).toBe("queued");
  });

  it("nor insert a campaign, change its status or delete it", async () => {
    expect(
      await as(
        d.owner,
        (tx) => tx`insert into public.campaigns (dealership_id, name, template, status)
        values (${d.dealershipId}, 'X', 'Hi', 'sending')`,
      ),
    ).toBe("42501");
    expect(
      await as(d.owner, (tx) => tx`update public.campaigns set status = 'completed' where id = ${campaignId}`),
    ).toBe("42501");
    expect(await as(d.owner, (tx) => tx`delete from public.campaigns where id = ${draftId}`)).toBe("42501");
  });

  it("the queue is readable by every member (ids and statuses only)", async () => {
    expect(
      await as(d.rep, (tx) => tx`select * from public.campaign_recipients where campaign_id = ${campaignId}`),
    ).toBe(1);
  });

  it("users cannot set a lead's phone mark", async () => {
    expect(await as(d.owner, (tx) => tx`update public.leads set phone_mark = 'landline' where id = ${leadId}`)).toBe(
      "42501",
    );
  });
});

describe("launching and the lifecycle need campaigns.manage", () => {
  it("a rep cannot create, launch, pause or cancel", async () => {
    const key = newIdempotencyKey();
    expect(
      await as(
        d.rep,
        (tx) => tx`select public.create_campaign(${d.dealershipId}, 'R', ${d.numberId}, 'Hi', '{}'::jsonb, null)`,
      ),
    ).toBe("42501");
    expect(await as(d.rep, (tx) => tx`select * from public.launch_campaign(${draftId}, ${key}, null)`)).toBe("42501");
    expect(await as(d.rep, (tx) => tx`select public.pause_campaign(${campaignId})`)).toBe("42501");
    expect(await as(d.rep, (tx) => tx`select public.cancel_campaign(${campaignId})`)).toBe("42501");
    expect(
      await as(d.rep, (tx) => tx`select * from public.campaign_audience_counts(${d.dealershipId}, '{}'::jsonb)`),
    ).toBe("42501");
  });

  it("a manager of another dealership cannot touch this one's campaigns", async () => {
    const other = await campaignDealership(sql, "Other Invariant Motors");
    expect(
      await as(
        other.manager,
        (tx) => tx`select * from public.launch_campaign(${draftId}, ${newIdempotencyKey()}, null)`,
      ),
    ).toBe("42501");
    expect(await as(other.manager, (tx) => tx`select public.pause_campaign(${campaignId})`)).toBe("42501");
    expect(
      await as(
        other.manager,
        (tx) => tx`select * from public.campaign_audience_counts(${d.dealershipId}, '{}'::jsonb)`,
      ),
    ).toBe("42501");
  });

  it("a launch's idempotency key is unique per dealership (the constraint holds it)", async () => {
    const key = newIdempotencyKey();
    await sql`update public.campaigns set idempotency_key = ${key} where id = ${campaignId}`;
    await expect(sql`update public.campaigns set idempotency_key = ${key} where id = ${draftId}`).rejects.toMatchObject(
      {
        code: "23505",
      },
    );
  });

  it("only owners and admins change campaign settings, and the footer must say STOP", async () => {
    expect(
      await as(
        d.manager,
        (tx) => tx`update public.dealership_campaign_settings set daily_send_cap = 5, updated_by = ${d.manager.userId}
        where dealership_id = ${d.dealershipId}`,
      ),
    ).toBe(0);
    expect(
      await as(
        d.owner,
        (tx) => tx`update public.dealership_campaign_settings set opt_out_footer = 'Bye', updated_by = ${d.owner.userId}
        where dealership_id = ${d.dealershipId}`,
      ),
    ).toBe("23514");
    expect(
      await as(
        d.owner,
        (tx) => tx`update public.dealership_campaign_settings set daily_send_cap = 5, updated_by = ${d.owner.userId}
        where dealership_id = ${d.dealershipId}`,
      ),
    ).toBe(1);
  });
});

describe("the worker's functions are the worker's alone", () => {
  // The rows were queued in beforeAll, after this module loaded: claim a little ahead.
  const now = new Date(Date.now() + 3_600_000);

  it("users cannot claim, record results or reconcile", async () => {
    expect(
      await as(d.owner, (tx) => tx`select * from private.claim_campaign_recipients(${campaignId}, ${now}, 10, 60)`),
    ).toBe("42501");
    expect(
      await as(d.owner, (tx) => tx`select private.record_campaign_results(gen_random_uuid(), ${now}, '[]'::jsonb)`),
    ).toBe("42501");
    expect(await as(d.owner, (tx) => tx`select * from private.reconcile_campaign_claims(${now}, 10, 60, null)`)).toBe(
      "42501",
    );
    expect(await as(d.owner, (tx) => tx`select private.auto_pause_campaign(${campaignId}, 'x', 'failures')`)).toBe(
      "42501",
    );
  });

  it("sms_sender reads no table but may claim (the claim re-checks consent in the same statement)", async () => {
    expect(await asRole("sms_sender", (tx) => tx`select * from public.leads`)).toBe("42501");
    expect(await asRole("sms_sender", (tx) => tx`select * from public.campaign_recipients`)).toBe("42501");
    expect(await asRole("sms_sender", (tx) => tx`update public.campaigns set status = 'paused'`)).toBe("42501");
    expect(
      await asRole("sms_sender", (tx) => tx`select public.launch_campaign(${draftId}, ${newIdempotencyKey()}, null)`),
    ).toBe("42501");
    // The lead opts out after the launch: the claim skips it instead of handing it to the worker.
    await sql`update public.leads set consent_status = 'opted_out', consent_source = 'test' where id = ${leadId}`;
    expect(
      await asRole(
        "sms_sender",
        (tx) => tx`select * from private.claim_campaign_recipients(${campaignId}, ${now}, 10, 60)`,
      ),
    ).toBe(0);
    const [row] =
      await sql`select status, skip_reason from public.campaign_recipients where campaign_id = ${campaignId}`;
    expect(row).toEqual({ status: "skipped", skip_reason: "opted_out" });
  });

  it("the webhook role cannot run the worker's functions either", async () => {
    expect(
      await asRole(
        "sms_webhook",
        (tx) => tx`select * from private.claim_campaign_recipients(${campaignId}, ${now}, 10, 60)`,
      ),
    ).toBe("42501");
  });
});

describe("two campaigns writing for one lead at the same moment", () => {
  it("take turns on the lead: the second sees the first's message and is postponed by the dealership's cap", async () => {
    const lead = (await addLead(sql, d.dealershipId)).id;
    const campaignsIds: string[] = [];
    for (const name of ["Race A", "Race B"]) {
      const [c] =
        await sql`insert into public.campaigns (dealership_id, name, sending_number_id, template, status, launched_at)
        values (${d.dealershipId}, ${name}, ${d.numberId}, 'Hi', 'sending', now()) returning id`;
      await sql`insert into public.campaign_recipients (campaign_id, dealership_id, lead_id) values (${c!.id}, ${d.dealershipId}, ${lead})`;
      campaignsIds.push(c!.id);
    }
    const at = new Date(Date.now() + 3_600_000);
    const claims = [];
    for (const id of campaignsIds) {
      const [claim] = await sql.begin(async (tx) => {
        await tx`select set_config('role', 'sms_sender', true)`;
        return tx`select recipient_id, claim_token from private.claim_campaign_recipients(${id}, ${at}, 10, 60)`;
      });
      claims.push(claim!);
    }
    const payload = (recipientId: string) => {
      const messageId = randomUUID();
      return [
        {
          recipient_id: Number(recipientId),
          message_id: messageId,
          body_enc: encryptMessageBody("Hi", d.dealershipId, messageId),
          segments: 1,
        },
      ];
    };
    const [c1, c2] = [await sql.reserve(), await sql.reserve()];
    try {
      await c1`begin`;
      await c1`select set_config('role', 'sms_sender', true)`;
      const [first] =
        await c1`select verdict from private.record_campaign_messages(${claims[0]!.claim_token}, ${at}, ${sql.json(payload(claims[0]!.recipient_id))})`;
      expect(first!.verdict).toBe("send");
      await c2`begin`;
      await c2`select set_config('role', 'sms_sender', true)`;
      let settled = false;
      const second =
        c2`select verdict from private.record_campaign_messages(${claims[1]!.claim_token}, ${at}, ${sql.json(payload(claims[1]!.recipient_id))})`.then(
          (rows) => ((settled = true), rows),
        );
      await new Promise((r) => setTimeout(r, 300));
      expect(settled, "the second write waits for the first (lead row locked)").toBe(false);
      await c1`commit`;
      const [verdict] = await second;
      await c2`commit`;
      expect(verdict!.verdict).toBe("frequency_cap");
    } finally {
      c1.release();
      c2.release();
    }
    const messages = await sql`select id from public.messages where lead_id = ${lead}`;
    expect(messages).toHaveLength(1);
  });
});
