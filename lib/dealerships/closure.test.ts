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
import { resumeCampaign } from "@/lib/campaigns/campaigns";
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
import { unzipText } from "@/lib/export/testing/unzip";

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
const { POST: closedExportRoute } = await import("@/app/api/closed/export/route");
const { POST: closedOutcomeRoute } = await import("@/app/api/closed/export/outcomes/route");
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

/** A member's request state while the dealership they worked in is closed (as getUserState resolves it). */
async function closedStateOf(m: TestMember, recentAuth = true): Promise<UserState> {
  return {
    kind: "closed",
    claims: m.claims,
    security: { mfaEnrolled: false, recentAuth },
    closed: await withAccount(m.claims, listMyClosedDealerships),
    memberships: await withAccount(m.claims, listMyMemberships),
  };
}

const APP = new URL(process.env.APP_BASE_URL!).origin;
const postJson = (route: (req: Request) => Promise<Response>, path: string, body: unknown) =>
  route(
    new Request(`${APP}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: APP },
      body: JSON.stringify(body),
    }),
  );
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

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
    // The next request resolves the closed state: an API client is told why (was a bare 401),
    // about this dealership only, as the page guard sends the member to /closed.
    signedIn.state = await closedStateOf(d.rep);
    const closedRes = await getLeadRoute(new Request(`http://localhost/api/leads/${d.leadId}`), {
      params: Promise.resolve({ leadId: d.leadId }),
    });
    expect(closedRes.status).toBe(403);
    const refusal = await errorOf(closedRes);
    expect(refusal.code).toBe("dealership_closed");
    expect(refusal.message).toMatch(
      new RegExp(
        `^${await nameOf(d.id)} was closed on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC and will be deleted on ${purgeAfter.toISOString().slice(0, 16).replace("T", " ")} UTC`,
      ),
    );
    expect(refusal.message).not.toContain("Still Open Motors");

    const [audit] = await sql`select actor_user_id, target_id, metadata from public.audit_events
      where dealership_id = ${d.id} and action = 'dealership.closed'`;
    expect(audit).toEqual({
      actor_user_id: d.owner.userId,
      target_id: d.id,
      metadata: { purge_after: expect.any(String), invitations_withdrawn: 1, campaigns_paused: 0 },
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

  let scheduledId: string;
  let pausedByHandId: string;
  const campaign = async (id: string) =>
    (
      await sql<{ status: string; paused_at: Date | null; pause_reason: string | null }[]>`
        select status, paused_at, pause_reason from public.campaigns where id = ${id}`
    )[0]!;

  beforeAll(async () => {
    d = await campaignDealership(sql, "Silent Motors");
    leadId = (await addLead(sql, d.dealershipId, { consent: "opted_in" })).id;
    const insertCampaign = async (name: string, status: string, scheduledAt: Date | null = null) => {
      const [c] =
        await sql`insert into public.campaigns (dealership_id, name, sending_number_id, template, status, launched_at, scheduled_at)
        values (${d.dealershipId}, ${name}, ${d.numberId}, 'Hi', ${status}, now(), ${scheduledAt}) returning id`;
      return c!.id as string;
    };
    campaignId = await insertCampaign("Live", "sending");
    scheduledId = await insertCampaign("Later", "scheduled", new Date(Date.now() + 10 * DAY));
    pausedByHandId = await insertCampaign("Held", "paused");
    await sql`insert into public.campaign_recipients (campaign_id, dealership_id, lead_id) values (${campaignId}, ${d.dealershipId}, ${leadId})`;
    await recordRecentAuth(sql, d.owner);
    await close(d.owner, d.dealershipId);
  });

  it("pauses every scheduled or sending campaign at the closure, with the reason the campaign page shows, audited", async () => {
    const closed = (await closedAt(d.dealershipId))!;
    for (const id of [campaignId, scheduledId]) {
      const c = await campaign(id);
      expect(c.status).toBe("paused");
      expect(c.paused_at!.getTime()).toBe(closed.getTime());
      expect(c.pause_reason).toBe(
        `Paused because the dealership was closed on ${closed.toISOString().slice(0, 16).replace("T", " ")} UTC. Reopening it does not resume campaigns: resume this one when you are ready.`,
      );
    }
    // One paused by hand before keeps its own pause.
    expect(await campaign(pausedByHandId)).toMatchObject({ status: "paused", paused_at: null, pause_reason: null });
    const audit = await sql`select action, actor_user_id, target_id, metadata from public.audit_events
      where dealership_id = ${d.dealershipId} and action in ('campaign.paused', 'dealership.closed') order by chain_seq`;
    expect(audit).toEqual([
      {
        action: "campaign.paused",
        actor_user_id: d.owner.userId,
        target_id: expect.any(String),
        metadata: { from: expect.any(String), cause: "dealership.closed" },
      },
      {
        action: "campaign.paused",
        actor_user_id: d.owner.userId,
        target_id: expect.any(String),
        metadata: { from: expect.any(String), cause: "dealership.closed" },
      },
      expect.objectContaining({
        action: "dealership.closed",
        metadata: expect.objectContaining({ campaigns_paused: 2 }),
      }),
    ]);
    expect(new Set(audit.slice(0, 2).map((a) => `${a.target_id}:${a.metadata.from}`))).toEqual(
      new Set([`${campaignId}:sending`, `${scheduledId}:scheduled`]),
    );
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

  it("sends again once reopened, but its campaigns stay paused until someone resumes them", async () => {
    await recordRecentAuth(sql, d.owner);
    await reopen(d.owner, d.dealershipId);
    await expect(outbound(false)).resolves.toBeDefined();
    // Reopening resumes nothing by itself (it used to: the campaign had kept status 'sending').
    expect(await claim()).toBe(0);
    expect((await campaign(campaignId)).status).toBe("paused");
    expect((await campaign(scheduledId)).status).toBe("paused");
    const [reopened] = await sql`select metadata from public.audit_events
      where dealership_id = ${d.dealershipId} and action = 'dealership.reopened'`;
    expect(reopened!.metadata).toEqual({ closed_at: expect.any(String), campaigns_left_paused: 2 });

    // The owner resumes them explicitly: the sending one claims again, the scheduled one waits for its time.
    expect(await withUser(d.owner.claims, d.dealershipId, (s) => resumeCampaign(s, campaignId))).toEqual({
      status: "sending",
    });
    expect(await withUser(d.owner.claims, d.dealershipId, (s) => resumeCampaign(s, scheduledId))).toEqual({
      status: "scheduled",
    });
    expect(await campaign(campaignId)).toMatchObject({ paused_at: null, pause_reason: null });
    expect(await claim()).toBe(1);
    const [resumed] = await sql`select actor_user_id, metadata from public.audit_events
      where dealership_id = ${d.dealershipId} and action = 'campaign.resumed' and target_id = ${campaignId}`;
    expect(resumed).toEqual({
      actor_user_id: d.owner.userId,
      metadata: { pause_reason: expect.stringContaining("the dealership was closed") },
    });
    expect((await verifyAuditChains(sql, d.dealershipId)).problems).toEqual([]);
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

describe("exporting a closed dealership (the owner, from /closed)", () => {
  const exportAs = async (m: TestMember, id: string, format = "csv") => {
    await withAccount(m.claims, (s) => s.sql`select public.record_closed_dealership_export(${id}, ${format})`);
  };

  it("is for the owner who may reopen it, re-authenticated, while it is closed and not purged; audited as data.exported (closed_account)", async () => {
    const d = await team("Closed Export Motors");
    const open = await team("Open Export Motors");
    await close(d.owner, d.id);

    for (const m of [d.rep, d.manager, d.admin, open.owner]) {
      await recordRecentAuth(sql, m);
      expect(await codeOf(exportAs(m, d.id))).toBe("42501");
    }
    await recordRecentAuth(sql, d.owner, "password", 600);
    expect(await codeOf(exportAs(d.owner, d.id))).toBe("RL040");
    await recordRecentAuth(sql, d.owner);
    expect(await codeOf(exportAs(d.owner, d.id, "xlsx"))).toBe("22023");
    // An open dealership's owner uses Settings → Your data.
    expect(await codeOf(exportAs(open.owner, open.id))).toBe("RL111");
    await exportAs(d.owner, d.id, "json");

    const rows = await sql`select actor_user_id, metadata from public.audit_events
      where dealership_id = ${d.id} and action = 'data.exported'`;
    expect(rows).toEqual([{ actor_user_id: d.owner.userId, metadata: { format: "json", closed_account: true } }]);
    // Still closed: nobody's access came back.
    expect(await closedAt(d.id)).not.toBeNull();
    expect((await visibleRows(d.owner, d.id))["public.leads"]).toBe(0);
  });

  it("POST /api/closed/export streams the same ZIP as the open export; the outcome CSV too; refusals in JSON; nothing after the date or the purge", async () => {
    const d = await team("Closed Route Motors");
    await close(d.owner, d.id);
    const post = (body: unknown) => postJson(closedExportRoute, "/api/closed/export", body);
    const postOutcomes = (body: unknown) => postJson(closedOutcomeRoute, "/api/closed/export/outcomes", body);

    // Members who cannot reopen it, and the owner without a fresh re-authentication, get nothing.
    signedIn.state = await closedStateOf(d.rep);
    let res = await post({ dealershipId: d.id, format: "csv" });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe("forbidden");
    signedIn.state = await closedStateOf(d.owner, false);
    res = await post({ dealershipId: d.id, format: "csv" });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe("reauthentication_required");
    signedIn.state = await closedStateOf(d.owner);
    res = await post({ dealershipId: "not-an-id" });
    expect(res.status).toBe(422);
    signedIn.state = { kind: "signed_out" };
    expect((await post({ dealershipId: d.id })).status).toBe(401);

    signedIn.state = await closedStateOf(d.owner);
    res = await post({ dealershipId: d.id, format: "csv" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="refireleads-export-[\d-]+-csv\.zip"$/,
    );
    const files = await unzipText(Buffer.from(await res.arrayBuffer()));
    expect(files.get("leads.csv")).toContain("Casey");
    expect(files.get("team.csv")).toContain(d.rep.userId);
    expect(files.get("audit_events.csv")).toContain("dealership.closed");
    expect(files.get("audit_events.csv")).toContain("closed_account");

    res = await postOutcomes({ dealershipId: d.id });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM
    const csv = bytes.toString("utf8");
    expect(csv).toContain("Casey");
    const audit = await sql`select action, actor_user_id, metadata from public.audit_events
      where dealership_id = ${d.id} and action like 'data.%' order by chain_seq`;
    expect(audit).toEqual([
      { action: "data.exported", actor_user_id: d.owner.userId, metadata: { format: "csv", closed_account: true } },
      {
        action: "data.outcomes_exported",
        actor_user_id: d.owner.userId,
        metadata: { mapping_id: null, closed_account: true },
      },
    ]);

    // Past the 30 days: refused (it is being deleted), then purged: refused like a stranger.
    await sql`update public.dealerships set closed_at = closed_at - interval '31 days', purge_after = purge_after - interval '31 days'
      where id = ${d.id}`;
    res = await post({ dealershipId: d.id, format: "csv" });
    expect(res.status).toBe(409);
    expect((await errorOf(res)).message).toContain("being deleted");
    expect(await withService("purger", d.id, (s) => purgeDealership(s, new Date()))).not.toBeNull();
    res = await post({ dealershipId: d.id, format: "csv" });
    expect(res.status).toBe(403);
    expect((await postOutcomes({ dealershipId: d.id })).status).toBe(403);
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
    // Members of the closed dealership are refused everything else, and told why.
    signedIn.state = await closedState(true);
    expect(await closeDealershipAction(form(name))).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: "dealership_closed",
        message: expect.stringMatching(new RegExp(`^${name} was closed on .* UTC and will be deleted on .* UTC`)),
      }),
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
