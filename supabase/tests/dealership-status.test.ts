/**
 * Onboarding statuses, held by Postgres: only an active dealership sends. A pending or suspended
 * dealership's reply (queue_outbound_message, as the authenticated owner) and any outbound row
 * (the campaign worker's record step inserts through the same trigger) are refused with RL070,
 * and the worker's claim takes nothing; compliance auto-replies still go. Members cannot change
 * their own status. The platform CLI creates a pending dealership, invites its owner, approves it.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withAccount } from "@/lib/db/scope";
import { encryptMessageBody } from "@/lib/sms/message-body";
import { latestEmailTo } from "@/local-stack/auth/mailbox-client";
import { addLead, campaignDealership, type CampaignDealership } from "@/local-stack/campaign-fixtures";
import { adminSql } from "@/local-stack/test-fixtures";

const run = promisify(execFile);
let sql: Sql;

beforeAll(() => {
  sql = adminSql();
});
afterAll(async () => {
  await sql.end();
});

async function setStatus(id: string, status: string) {
  await sql`update public.dealerships set status = ${status}::public.dealership_status where id = ${id}`;
}

/** Queue a reply as the owner: "queued" or the Postgres error code. */
async function reply(d: CampaignDealership, leadId: string): Promise<string> {
  const id = randomUUID();
  try {
    await withAccount(
      d.owner.claims,
      (s) =>
        s.sql`select * from public.queue_outbound_message(${d.dealershipId}, ${leadId}, ${id}, ${encryptMessageBody("Hi", d.dealershipId, id)}, 1)`,
    );
    return "queued";
  } catch (err) {
    return String((err as { code?: string }).code ?? err);
  }
}

/** Claim as the worker's role: how many recipients it took. */
async function claim(campaignId: string): Promise<number> {
  const rows = await sql.begin(async (tx) => {
    await tx`select set_config('role', 'sms_sender', true)`;
    return tx`select recipient_id from private.claim_campaign_recipients(${campaignId}, ${new Date(Date.now() + 3_600_000)}, 10, 60)`;
  });
  return rows.length;
}

describe("only an active dealership sends", () => {
  it("existing dealerships are active", async () => {
    const [row] = await sql`select count(*)::int as n from public.dealerships where status <> 'active'
      and id in (select dealership_id from public.memberships)`;
    expect(row!.n).toBe(0);
  });

  it("a pending or suspended dealership's reply is refused (RL070), an active one's is queued", async () => {
    const d = await campaignDealership(sql, "Status Motors");
    const lead = await addLead(sql, d.dealershipId, { consent: "opted_in" });
    expect(await reply(d, lead.id)).toBe("queued");
    for (const status of ["pending", "suspended"]) {
      await setStatus(d.dealershipId, status);
      expect(await reply(d, lead.id), status).toBe("RL070");
    }
    await setStatus(d.dealershipId, "active");
    expect(await reply(d, lead.id)).toBe("queued");
  });

  it("no outbound row for a suspended dealership, even written directly; STOP/HELP auto-replies still go", async () => {
    const d = await campaignDealership(sql, "Suspended Motors");
    const lead = await addLead(sql, d.dealershipId);
    const [conv] = await sql<
      { id: string }[]
    >`insert into public.conversations (dealership_id, lead_id, sending_number_id)
      values (${d.dealershipId}, ${lead.id}, ${d.numberId}) returning id`;
    await setStatus(d.dealershipId, "suspended");
    const insert = (autoReply: boolean) => {
      const id = randomUUID();
      return sql`insert into public.messages (id, dealership_id, conversation_id, lead_id, direction, body_enc, status, segments, auto_reply)
        values (${id}, ${d.dealershipId}, ${conv!.id}, ${lead.id}, 'outbound', ${encryptMessageBody("Hi", d.dealershipId, id)}, 'pending', 1, ${autoReply})`;
    };
    await expect(insert(false)).rejects.toMatchObject({ code: "RL070" });
    await expect(insert(true)).resolves.toBeDefined();
  });

  it("the campaign worker claims nothing while the dealership is suspended or pending, and resumes after", async () => {
    const d = await campaignDealership(sql, "Claim Motors");
    const lead = await addLead(sql, d.dealershipId, { consent: "opted_in" });
    const [c] =
      await sql`insert into public.campaigns (dealership_id, name, sending_number_id, template, status, launched_at)
      values (${d.dealershipId}, 'Live', ${d.numberId}, 'Hi', 'sending', now()) returning id`;
    await sql`insert into public.campaign_recipients (campaign_id, dealership_id, lead_id) values (${c!.id}, ${d.dealershipId}, ${lead.id})`;
    for (const status of ["suspended", "pending"]) {
      await setStatus(d.dealershipId, status);
      expect(await claim(c!.id), status).toBe(0);
    }
    await setStatus(d.dealershipId, "active");
    expect(await claim(c!.id)).toBe(1);
  });

  it("a member cannot change the dealership's status (not in the column grant)", async () => {
    const d = await campaignDealership(sql, "Self Approve Motors");
    await setStatus(d.dealershipId, "pending");
    await expect(
      withAccount(
        d.owner.claims,
        (s) => s.sql`update public.dealerships set status = 'active' where id = ${d.dealershipId}`,
      ),
    ).rejects.toMatchObject({ code: "42501" });
  });
});

describe("npm run platform", () => {
  const cli = (...args: string[]) =>
    run("node_modules/.bin/tsx", ["--conditions=react-server", "lib/platform/platform.cli.ts", ...args], {
      env: process.env,
      timeout: 60_000,
    });

  it("dealership:create prints the id of a pending dealership and invites its owner; approve activates it", async () => {
    const email = `owner-${randomUUID().slice(0, 8)}@example.com`;
    const name = `CLI Motors ${randomUUID().slice(0, 6)}`;
    const { stdout } = await cli("dealership:create", "--name", name, "--owner-email", email);
    const id = stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const [d] = await sql`select name, status from public.dealerships where id = ${id}`;
    expect(d).toEqual({ name, status: "pending" });
    const [inv] =
      await sql`select role, accepted_at from public.invitations where dealership_id = ${id} and email = ${email}`;
    expect(inv).toEqual({ role: "owner", accepted_at: null });
    expect(await latestEmailTo(process.env.SUPABASE_URL!, email, "invite")).not.toBeNull();

    await cli("dealership:approve", "--id", id);
    const [after] = await sql`select status from public.dealerships where id = ${id}`;
    expect(after!.status).toBe("active");
    const audit =
      await sql`select action, actor_user_id from public.audit_events where dealership_id = ${id} order by id`;
    expect(audit.map((a) => a.action)).toEqual(["platform.dealership_created", "platform.dealership_active"]);
  }, 120_000);

  it("bad input gets a clear error and creates nothing", async () => {
    const name = `Bad CLI ${randomUUID().slice(0, 6)}`;
    const err = await cli("dealership:create", "--name", name, "--owner-email", "not-an-email").catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr).toContain("Enter the owner's e-mail address.");
    const [row] = await sql`select count(*)::int as n from public.dealerships where name = ${name}`;
    expect(row!.n).toBe(0);
  }, 60_000);
});
