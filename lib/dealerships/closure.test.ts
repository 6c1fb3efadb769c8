/**
 * Account deletion against the real database (issue 11, item 4): closing, as the `authenticated`
 * role and through a route and the actions; sending stopping; the undo; the purge with an injected
 * clock. One file on purpose: the purge takes every dealership that is due, so the only closed
 * dealerships of a test run are this file's, and its tests run one after another.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { can } from "@/lib/auth/permissions";
import { blindIndex } from "@/lib/crypto/blind-index";
import { withAccount, withUser, withService } from "@/lib/db/scope";
import { listMyMemberships } from "@/lib/dealerships/memberships";
import type { UserContext, UserState } from "@/lib/server/user-context";
import { encryptMessageBody } from "@/lib/sms/message-body";
import { seedInboundMessage } from "@/lib/sms/testing/messaging-fixtures";
import { signedTwilioRequest } from "@/lib/sms/testing/signed-webhook-request";
import { verifyAuditChains } from "@/lib/audit/verify-chain";
import {
  addDoNotContact,
  addLead,
  addOutboundMessage,
  campaignDealership,
  launchTestCampaign,
  type CampaignDealership,
} from "@/local-stack/campaign-fixtures";
import {
  adminSql,
  createDealership,
  createLead,
  createMember,
  recordRecentAuth,
  type TestMember,
} from "@/local-stack/test-fixtures";
import { closeDealership, listMyClosedDealerships, reopenDealership } from "./closure";
import { purgeDealership, purgeDueDealerships } from "./purge";

vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: () => undefined, set: () => {} }),
  headers: async () => new Headers(),
}));
const signedIn = vi.hoisted(() => ({ state: { kind: "signed_out" } as UserState }));
vi.mock("@/lib/server/user-context", () => ({
  getUserState: async () => signedIn.state,
  getUserContext: async () => (signedIn.state.kind === "member" ? signedIn.state.ctx : null),
}));

const { closeDealershipAction } = await import("@/app/(app)/settings/close-actions");
const { reopenDealershipAction } = await import("@/app/closed/actions");
const { GET: getLeadRoute } = await import("@/app/api/leads/[leadId]/route");
const { POST: inboundRoute } = await import("@/app/api/twilio/inbound/route");

const DAY = 86_400_000;
let sql: Sql;

beforeAll(() => {
  sql = adminSql();
});
afterAll(async () => {
  await sql.end();
});

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string }) => e.code ?? String(e),
  );
const nameOf = async (id: string) =>
  (await sql<{ name: string }[]>`select name from public.dealerships where id = ${id}`)[0]!.name;
const close = async (m: TestMember, id: string, name?: string) =>
  withUser(m.claims, id, async (s) => closeDealership(s, name ?? (await nameOf(id))));
const reopen = (m: TestMember, id: string) => withAccount(m.claims, (s) => reopenDealership(s, id));
const closedAt = async (id: string) =>
  (await sql<{ closed_at: Date | null }[]>`select closed_at from public.dealerships where id = ${id}`)[0]?.closed_at ??
  null;

/** Every table (public and private) that holds a dealership's rows, as the purge finds them. */
async function dealershipTables(): Promise<string[]> {
  const rows = await sql<
    { t: string }[]
  >`select schema_name || '.' || table_name as t from private.dealership_tables()`;
  return rows.map((r) => r.t);
}

/** Rows of the dealership per table, as the superuser sees them. */
async function rowCounts(dealershipId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of await dealershipTables()) {
    const [schema, table] = t.split(".");
    const [row] = await sql<
      { n: number }[]
    >`select count(*)::int as n from ${sql(schema!)}.${sql(table!)} where dealership_id = ${dealershipId}`;
    counts[t] = row!.n;
  }
  return counts;
}

/** Rows of the dealership that a member sees in every public table, as the authenticated role. */
async function visibleRows(m: TestMember, dealershipId: string): Promise<Record<string, number>> {
  const tables = (await dealershipTables()).filter((t) => t.startsWith("public."));
  return withAccount(m.claims, async ({ sql: tx }) => {
    const counts: Record<string, number> = {};
    for (const t of [...tables, "public.dealerships"]) {
      const table = t.slice("public.".length);
      const column = table === "dealerships" ? "id" : "dealership_id";
      const [row] = await tx<{ n: number }[]>`
        select count(*)::int as n from public.${tx(table)} where ${tx(column)} = ${dealershipId}`;
      counts[t] = row!.n;
    }
    return counts;
  });
}

/** A member's request context as the app resolves it (the role and permissions of the active dealership). */
async function contextOf(m: TestMember, dealershipId: string, recentAuth = true): Promise<UserContext> {
  const memberships = await withAccount(m.claims, listMyMemberships);
  const active = memberships.find((x) => x.dealershipId === dealershipId)!;
  return {
    claims: m.claims,
    memberships,
    active,
    can: (p) => can(active, p),
    run: (fn) => withUser(m.claims, dealershipId, fn),
    security: { mfaEnrolled: false, recentAuth },
    mfaSetupRequired: false,
  };
}

/** A dealership with its four roles, a lead assigned to the rep, a do-not-contact number and an open invitation. */
async function team(label: string) {
  const id = await createDealership(sql, label);
  const [owner, admin, manager, rep] = await Promise.all(
    (["owner", "admin", "manager", "rep"] as const).map((r) => createMember(sql, id, r)),
  );
  const leadId = await createLead(
    sql,
    id,
    { phone: `+1312555${String(Math.floor(Math.random() * 9000) + 1000)}`, firstName: "Casey" },
    rep!.userId,
  );
  await addDoNotContact(sql, id, `+1773555${String(Math.floor(Math.random() * 9000) + 1000)}`);
  await sql`insert into public.invitations (dealership_id, email, role, expires_at)
    values (${id}, ${`invitee-${randomUUID().slice(0, 8)}@example.com`}, 'rep', now() + interval '7 days')`;
  for (const m of [owner!, admin!, manager!, rep!]) await recordRecentAuth(sql, m);
  return { id, owner: owner!, admin: admin!, manager: manager!, rep: rep!, leadId };
}

describe("closing a dealership", () => {
  it("is for an owner who re-authenticated and typed its name; admins, managers and other owners are refused", async () => {
    const d = await team("Refuse Close Motors");
    const other = await team("Other Close Motors");
    expect(await codeOf(close(d.admin, d.id))).toBe("42501");
    expect(await codeOf(close(d.manager, d.id))).toBe("42501");
    expect(
      await codeOf(withAccount(other.owner.claims, (s) => s.sql`select public.close_dealership(${d.id}, ${"x"})`)),
    ).toBe("42501");
    await recordRecentAuth(sql, d.owner, "password", 600);
    expect(await codeOf(close(d.owner, d.id))).toBe("RL040");
    await recordRecentAuth(sql, d.owner);
    expect(await codeOf(close(d.owner, d.id, "Some Other Name"))).toBe("RL100");
    expect(await codeOf(close(d.owner, d.id, ""))).toBe("RL100");
    expect(await closedAt(d.id)).toBeNull();
  });

  it("cuts every member's access at once: every table, as the authenticated role, and a route", async () => {
    const d = await team("Cut Access Motors");
    const elsewhere = await createDealership(sql, "Still Open Motors");
    await sql`insert into public.memberships (dealership_id, user_id, role) values (${elsewhere}, ${d.admin.userId}, 'rep')`;
    // The admin's request resolved its context just before the closure commits.
    const inFlight = await contextOf(d.admin, d.id);
    for (const m of [d.owner, d.admin, d.manager, d.rep]) {
      const before = await visibleRows(m, d.id);
      expect(before["public.dealerships"]).toBe(1);
      expect(before["public.leads"]).toBe(1);
    }

    const purgeAfter = (await close(d.owner, d.id)).purgeAfter;
    const [row] = await sql`select closed_at, closed_by, purge_after from public.dealerships where id = ${d.id}`;
    expect(row!.closed_by).toBe(d.owner.userId);
    expect(row!.purge_after.getTime() - row!.closed_at.getTime()).toBe(30 * DAY);
    expect(purgeAfter.getTime()).toBe(row!.purge_after.getTime());

    for (const m of [d.owner, d.admin, d.manager, d.rep]) {
      const after = await visibleRows(m, d.id);
      expect(Object.entries(after).filter(([, n]) => n > 0)).toEqual([]);
      expect(await codeOf(withUser(m.claims, d.id, async () => "in"))).toBe("forbidden");
      expect(await withAccount(m.claims, listMyMemberships)).toEqual(
        m === d.admin ? [expect.objectContaining({ dealershipId: elsewhere })] : [],
      );
      expect(await codeOf(withAccount(m.claims, (s) => s.sql`select * from public.dealership_members(${d.id})`))).toBe(
        "42501",
      );
      // Writes too: nothing lands in a closed dealership.
      expect(
        await codeOf(
          withAccount(
            m.claims,
            (s) =>
              s.sql`insert into public.do_not_contact (dealership_id, phone_bidx, source) values (${d.id}, ${"z".repeat(43)}, 'manual')`,
          ),
        ),
      ).toBe("42501");
    }
    signedIn.state = { kind: "member", ctx: inFlight };
    const res = await getLeadRoute(new Request(`http://localhost/api/leads/${d.leadId}`), {
      params: Promise.resolve({ leadId: d.leadId }),
    });
    expect(res.status).toBe(403);

    const [audit] = await sql`select actor_user_id, target_id, metadata from public.audit_events
      where dealership_id = ${d.id} and action = 'dealership.closed'`;
    expect(audit).toEqual({
      actor_user_id: d.owner.userId,
      target_id: d.id,
      metadata: { purge_after: expect.any(String), invitations_withdrawn: 1 },
    });
    const [open] =
      await sql`select count(*)::int as n from public.invitations where dealership_id = ${d.id} and revoked_at is null`;
    expect(open!.n).toBe(0);
    // Closing twice: the owner no longer holds anything in it.
    const name = await nameOf(d.id);
    expect(
      await codeOf(withAccount(d.owner.claims, (s) => s.sql`select public.close_dealership(${d.id}, ${name})`)),
    ).toBe("42501");
  });
});

describe("a closed dealership sends nothing", () => {
  let d: CampaignDealership;
  let leadId: string;
  let campaignId: string;

  const claim = async () =>
    (
      await sql.begin(async (tx) => {
        await tx`select set_config('role', 'sms_sender', true)`;
        return tx`select recipient_id from private.claim_campaign_recipients(${campaignId}, ${new Date(Date.now() + 3_600_000)}, 10, 60)`;
      })
    ).length;
  const outbound = async (autoReply: boolean) => {
    const [conv] = await sql<{ id: string }[]>`
      insert into public.conversations (dealership_id, lead_id, sending_number_id) values (${d.dealershipId}, ${leadId}, ${d.numberId})
      on conflict (lead_id) do update set last_message_at = now() returning id`;
    const id = randomUUID();
    return sql`insert into public.messages (id, dealership_id, conversation_id, lead_id, direction, body_enc, status, segments, auto_reply)
      values (${id}, ${d.dealershipId}, ${conv!.id}, ${leadId}, 'outbound', ${encryptMessageBody("Hi", d.dealershipId, id)}, 'pending', 1, ${autoReply})`;
  };

  beforeAll(async () => {
    d = await campaignDealership(sql, "Silent Motors");
    leadId = (await addLead(sql, d.dealershipId, { consent: "opted_in" })).id;
    const [c] =
      await sql`insert into public.campaigns (dealership_id, name, sending_number_id, template, status, launched_at)
      values (${d.dealershipId}, 'Live', ${d.numberId}, 'Hi', 'sending', now()) returning id`;
    campaignId = c!.id;
    await sql`insert into public.campaign_recipients (campaign_id, dealership_id, lead_id) values (${campaignId}, ${d.dealershipId}, ${leadId})`;
    await recordRecentAuth(sql, d.owner);
    await close(d.owner, d.dealershipId);
  });

  it("refuses every outbound message (RL103) and the worker claims nothing; STOP/HELP confirmations still go", async () => {
    await expect(outbound(false)).rejects.toMatchObject({ code: "RL103" });
    await expect(outbound(true)).resolves.toBeDefined();
    expect(await claim()).toBe(0);
    const id = randomUUID();
    expect(
      await codeOf(
        withAccount(
          d.owner.claims,
          (s) =>
            s.sql`select * from public.queue_outbound_message(${d.dealershipId}, ${leadId}, ${id}, ${encryptMessageBody("Hi", d.dealershipId, id)}, 1)`,
        ),
      ),
    ).not.toBe("ok");
  });

  it("gives the webhook no automatic answer to send for it (an open one gets its answer)", async () => {
    const open = await campaignDealership(sql, "Answering Motors");
    const triage = async (x: CampaignDealership) => {
      await sql`insert into public.reply_templates (dealership_id, intent, body, auto_send)
        values (${x.dealershipId}, 'interested', 'Great, when can you come by?', true)`;
      const from = (await addLead(sql, x.dealershipId)).phone;
      return sql.begin(async (tx) => {
        await tx`select set_config('role', 'sms_webhook', true)`;
        const { messageId } = await seedInboundMessage(tx as unknown as Sql, x.dealershipId, {
          sendingNumberId: x.numberId,
          from,
          body: "Yes I'm interested",
        });
        const [r] =
          await tx`select auto_answer from private.record_reply_triage(${messageId}, 'interested', 0.9, null, 'rule')`;
        return r!.auto_answer as string | null;
      });
    };
    expect(await triage(open)).toBe("Great, when can you come by?");
    expect(await triage(d)).toBeNull();
  });

  it("still records an inbound STOP (the webhook answers 200 and the lead is opted out)", async () => {
    const phone = `+1312555${String(Math.floor(Math.random() * 9000) + 1000)}`;
    const stopper = await createLead(sql, d.dealershipId, { phone });
    const sid = `SM${randomUUID().replaceAll("-", "")}`;
    const res = await inboundRoute(
      signedTwilioRequest("/api/twilio/inbound", {
        MessageSid: sid,
        SmsSid: sid,
        SmsMessageSid: sid,
        AccountSid: process.env.TWILIO_ACCOUNT_SID!,
        From: phone,
        To: d.numberPhone,
        Body: "STOP",
        NumMedia: "0",
        NumSegments: "1",
      }),
    );
    expect(res.status).toBe(200);
    const [lead] = await sql`select consent_status from public.leads where id = ${stopper}`;
    expect(lead!.consent_status).toBe("opted_out");
  });

  it("sends again once reopened", async () => {
    await recordRecentAuth(sql, d.owner);
    await reopen(d.owner, d.dealershipId);
    expect(await claim()).toBe(1);
    await expect(outbound(false)).resolves.toBeDefined();
  });
});

describe("reopening (the undo)", () => {
  it("members see when it closes; only an owner, re-authenticated, reopens it, and everyone's access comes back", async () => {
    const d = await team("Undo Motors");
    await close(d.owner, d.id);
    const closedFor = (m: TestMember) => withAccount(m.claims, listMyClosedDealerships);
    expect(await closedFor(d.rep)).toEqual([
      expect.objectContaining({ dealershipId: d.id, role: "rep", canReopen: false, purgeAfter: expect.any(Date) }),
    ]);
    expect(await closedFor(d.owner)).toEqual([expect.objectContaining({ dealershipId: d.id, canReopen: true })]);
    const stranger = await createMember(sql, await createDealership(sql, "Stranger Motors"), "owner");
    expect(await closedFor(stranger)).toEqual([]);

    for (const m of [d.rep, d.manager, d.admin, stranger]) {
      await recordRecentAuth(sql, m);
      expect(await codeOf(reopen(m, d.id))).toBe("42501");
    }
    await recordRecentAuth(sql, d.owner, "password", 600);
    expect(await codeOf(reopen(d.owner, d.id))).toBe("RL040");
    await recordRecentAuth(sql, d.owner);
    await reopen(d.owner, d.id);

    expect(await closedAt(d.id)).toBeNull();
    for (const m of [d.owner, d.admin, d.manager, d.rep]) {
      expect((await visibleRows(m, d.id))["public.leads"]).toBe(1);
    }
    const audit = await sql`select action, actor_user_id from public.audit_events
      where dealership_id = ${d.id} and action like 'dealership.%' order by chain_seq`;
    expect(audit).toEqual([
      { action: "dealership.closed", actor_user_id: d.owner.userId },
      { action: "dealership.reopened", actor_user_id: d.owner.userId },
    ]);
    expect((await verifyAuditChains(sql, d.id)).problems).toEqual([]);
  });

  it("is refused once the 30 days have passed (RL102)", async () => {
    const d = await team("Too Late Motors");
    await close(d.owner, d.id);
    await sql`update public.dealerships set closed_at = closed_at - interval '31 days', purge_after = purge_after - interval '31 days'
      where id = ${d.id}`;
    await recordRecentAuth(sql, d.owner);
    expect(await codeOf(reopen(d.owner, d.id))).toBe("RL102");
    expect(await closedAt(d.id)).not.toBeNull();
  });
});

describe("the actions", () => {
  it("close: admins refused, owners asked to re-authenticate, a wrong name refused, then closed", async () => {
    const d = await team("Action Close Motors");
    const form = (name: string) => {
      const f = new FormData();
      f.set("confirmName", name);
      return f;
    };
    const name = await nameOf(d.id);
    signedIn.state = { kind: "member", ctx: await contextOf(d.admin, d.id) };
    expect(await closeDealershipAction(form(name))).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "forbidden" }),
    });
    signedIn.state = { kind: "member", ctx: await contextOf(d.owner, d.id, false) };
    expect(await closeDealershipAction(form(name))).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "reauthentication_required" }),
    });
    signedIn.state = { kind: "member", ctx: await contextOf(d.owner, d.id) };
    expect(await closeDealershipAction(form(`${name} Inc`))).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "invalid_input", message: expect.stringContaining("name") }),
    });
    expect(await closeDealershipAction(form(` ${name} `))).toEqual({
      ok: true,
      data: { purgeAfter: expect.any(String) },
    });
    expect(await closedAt(d.id)).not.toBeNull();

    const closedState = async (recentAuth: boolean): Promise<UserState> => ({
      kind: "closed",
      claims: d.owner.claims,
      security: { mfaEnrolled: false, recentAuth },
      closed: await withAccount(d.owner.claims, listMyClosedDealerships),
      memberships: [],
    });
    // Members of the closed dealership are refused everything else.
    signedIn.state = await closedState(true);
    expect(await closeDealershipAction(form(name))).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "forbidden" }),
    });
    const reopenForm = new FormData();
    reopenForm.set("dealershipId", d.id);
    signedIn.state = await closedState(false);
    expect(await reopenDealershipAction(reopenForm)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "reauthentication_required" }),
    });
    signedIn.state = await closedState(true);
    expect(await reopenDealershipAction(reopenForm)).toEqual({ ok: true, data: { dealershipId: d.id } });
    expect(await closedAt(d.id)).toBeNull();
  });
});

describe("the purge", () => {
  /** A dealership with rows in as many tables as the product has: team, leads, messages, campaigns, imports, triage, audit. */
  async function populated(label: string) {
    const d = await campaignDealership(sql, label);
    const optedIn = await addLead(sql, d.dealershipId, { consent: "opted_in" });
    await addOutboundMessage(sql, d.dealershipId, optedIn.id, d.numberId, 10);
    const stopPhone = `+1312555${String(Math.floor(Math.random() * 9000) + 1000)}`;
    await createLead(sql, d.dealershipId, { phone: stopPhone });
    const stop = await sql.begin(async (tx) => {
      await tx`select set_config('role', 'sms_webhook', true)`;
      return seedInboundMessage(tx as unknown as Sql, d.dealershipId, {
        sendingNumberId: d.numberId,
        from: stopPhone,
        body: "STOP",
        consentAction: "opt_out",
      });
    });
    const dncPhone = `+1773555${String(Math.floor(Math.random() * 9000) + 1000)}`;
    await addDoNotContact(sql, d.dealershipId, dncPhone);
    await launchTestCampaign(d);
    await sql`insert into public.lead_imports (dealership_id, created_by, status, total_count)
      values (${d.dealershipId}, ${d.manager.userId}, 'processing', 1)`;
    await sql`insert into public.import_mappings (dealership_id, shape_fingerprint, mapping)
      values (${d.dealershipId}, ${randomUUID().replaceAll("-", "").repeat(2)}, '{}'::jsonb)`;
    await sql`insert into public.invitations (dealership_id, email, role, expires_at)
      values (${d.dealershipId}, ${`invitee-${randomUUID().slice(0, 8)}@example.com`}, 'rep', now() + interval '7 days')`;
    await sql`insert into public.reply_templates (dealership_id, intent, body) values (${d.dealershipId}, 'interested', 'Come by!')`;
    await sql`insert into public.triage_corrections (dealership_id, message_id, lead_id, to_intent)
      values (${d.dealershipId}, ${stop.messageId}, ${stop.leadId}, 'opt_out')`;
    await recordRecentAuth(sql, d.owner);
    return { ...d, stopPhone, dncPhone };
  }

  it("after 30 days (injected clock) deletes every row of the dealership and nothing of another; tombstones and a minimal record stay", async () => {
    const p = await populated("Purged Motors");
    const keep = await populated("Kept Motors");
    const keepBefore = await rowCounts(keep.dealershipId);
    await close(p.owner, p.dealershipId);
    const before = await rowCounts(p.dealershipId);
    for (const table of [
      "public.leads",
      "public.messages",
      "public.conversations",
      "public.campaigns",
      "public.campaign_recipients",
      "public.lead_imports",
      "public.import_mappings",
      "public.memberships",
      "public.invitations",
      "public.sending_numbers",
      "public.do_not_contact",
      "public.consent_events",
      "public.reply_templates",
      "public.triage_corrections",
      "public.audit_events",
    ]) {
      expect(before[table], table).toBeGreaterThan(0);
    }
    const [{ closed_at: closed, purge_after: due } = { closed_at: new Date(), purge_after: new Date() }] = await sql<
      { closed_at: Date; purge_after: Date }[]
    >`select closed_at, purge_after from public.dealerships where id = ${p.dealershipId}`;

    // Day 29: not due, nothing happens.
    expect(
      await withService("purger", p.dealershipId, (s) => purgeDealership(s, new Date(closed.getTime() + 29 * DAY))),
    ).toBeNull();
    expect(await rowCounts(p.dealershipId)).toEqual(before);

    // Day 30 and a minute: the job takes it.
    const now = new Date(due.getTime() + 60_000);
    const run = await purgeDueDealerships({ now });
    expect(run.failed).toEqual([]);
    const mine = run.purged.find((r) => r.dealershipId === p.dealershipId);
    expect(mine?.counts).toMatchObject({ "public.leads": before["public.leads"], opt_out_tombstones: 2 });
    expect(run.purged.map((r) => r.dealershipId)).not.toContain(keep.dealershipId);

    const after = await rowCounts(p.dealershipId);
    expect(Object.entries(after).filter(([, n]) => n > 0)).toEqual([]);
    expect(await sql`select 1 from public.dealerships where id = ${p.dealershipId}`).toHaveLength(0);
    expect(await sql`select 1 from private.audit_chain_heads where dealership_id = ${p.dealershipId}`).toHaveLength(0);
    // Nothing of the other dealership moved, and its audit chain still verifies.
    expect(await rowCounts(keep.dealershipId)).toEqual(keepBefore);
    expect((await verifyAuditChains(sql, keep.dealershipId)).problems).toEqual([]);

    // What stays: the minimal record (no name, nobody) and the opt-outs' blind indexes.
    const [record] = await sql`select * from private.purged_dealerships where id = ${p.dealershipId}`;
    expect(Object.keys(record!).sort()).toEqual(["closed_at", "id", "purge_after", "purged_at", "row_counts"]);
    expect(record!.purged_at.getTime()).toBe(now.getTime());
    expect(record!.closed_at.getTime()).toBe(closed.getTime());
    expect(record!.row_counts["public.messages"]).toBe(before["public.messages"]);
    const tombstones = await sql<{ phone_bidx: string }[]>`
      select phone_bidx from private.purged_opt_outs where dealership_id = ${p.dealershipId} order by phone_bidx`;
    expect(tombstones.map((t) => t.phone_bidx)).toEqual(
      [blindIndex("phone", p.stopPhone, p.dealershipId), blindIndex("phone", p.dncPhone, p.dealershipId)].sort(),
    );
    // The people keep their own sign-in (members of nothing now); a late undo finds nothing.
    expect(await sql`select 1 from auth.users where id = ${p.owner.userId}`).toHaveLength(1);
    expect(await withAccount(p.owner.claims, listMyClosedDealerships)).toEqual([]);
    expect(await codeOf(reopen(p.owner, p.dealershipId))).toBe("42501");
    // Purging again is a no-op.
    expect(await withService("purger", p.dealershipId, (s) => purgeDealership(s, now))).toBeNull();
  });

  it("the purger role may run only the purge: no table, no other function", async () => {
    const d = await team("Purger Scope Motors");
    const asPurger = (q: (tx: Sql) => Promise<unknown>) =>
      codeOf(
        sql.begin(async (tx) => {
          await tx`select set_config('role', 'purger', true)`;
          return q(tx as unknown as Sql);
        }),
      );
    expect(await asPurger((tx) => tx`select * from public.leads where dealership_id = ${d.id}`)).toBe("42501");
    expect(await asPurger((tx) => tx`delete from public.audit_events where dealership_id = ${d.id}`)).toBe("42501");
    expect(await asPurger((tx) => tx`select private.prune_audit_events()`)).toBe("42501");
    expect(await asPurger((tx) => tx`select * from private.dealership_tables()`)).toBe("42501");
    // An open dealership is never purged, whatever the clock says.
    expect(await withService("purger", d.id, (s) => purgeDealership(s, new Date(Date.now() + 3650 * DAY)))).toBeNull();
    expect((await rowCounts(d.id))["public.leads"]).toBe(1);
  });

  it("npm run purge takes what is due on the real clock and prints counts only", async () => {
    const d = await team("CLI Purge Motors");
    await close(d.owner, d.id);
    await sql`update public.dealerships set closed_at = closed_at - interval '31 days', purge_after = purge_after - interval '31 days'
      where id = ${d.id}`;
    const { stdout } = await promisify(execFile)(
      "node_modules/.bin/tsx",
      ["--conditions=react-server", "lib/dealerships/purge.cli.ts"],
      { env: process.env, timeout: 60_000 },
    );
    expect(stdout).toContain(`purged ${d.id}:`);
    expect(stdout).not.toMatch(/@|Casey/);
    expect(await sql`select 1 from public.dealerships where id = ${d.id}`).toHaveLength(0);
    expect(await sql`select 1 from private.purged_dealerships where id = ${d.id}`).toHaveLength(1);
  }, 90_000);
});
