/**
 * The campaign library against the real database, as signed-in members: audience counts and each
 * exclusion (with its order), the preview, drafts, launches (now, scheduled, idempotent, double
 * click, rate limit), pause / resume / cancel with their audit rows, and the read side.
 */
import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/server/app-error";
import { adminSql } from "@/local-stack/test-fixtures";
import { countAudience, EXCLUSION_REASONS, previewAudience } from "./audience";
import { getCampaign, listCampaigns } from "./campaign-queries";
import { getCampaignSettings, updateCampaignSettings } from "./campaign-settings";
import { cancelCampaign, createCampaign, launchCampaign, pauseCampaign, resumeCampaign } from "./campaigns";
import {
  addDoNotContact,
  addInboundMessage,
  addLead,
  addOutboundMessage,
  asMember,
  campaignDealership,
  newIdempotencyKey,
  type CampaignDealership,
} from "@/local-stack/campaign-fixtures";

let sql: Sql;

beforeAll(() => {
  sql = adminSql();
});
afterAll(() => sql.end());

const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => (e instanceof AppError ? e.code : String((e as { code?: string }).code ?? e)),
  );

const TEMPLATE = "Hi {first_name|there}, still looking at a {vehicle|new car}? {dealer_name}";

async function draft(d: CampaignDealership, audience = {}, key?: string) {
  return asMember(d.manager, d.dealershipId, (s) =>
    createCampaign(s, {
      name: "Spring",
      sendingNumberId: d.numberId,
      template: TEMPLATE,
      audience,
      idempotencyKey: key,
    }),
  );
}

describe("the audience", () => {
  let d: CampaignDealership;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    d = await campaignDealership(sql, "Audience Motors");
    ids.ok1 = (await addLead(sql, d.dealershipId)).id;
    ids.ok2 = (await addLead(sql, d.dealershipId, { consent: "opted_in" })).id;
    // Opted out AND on the do-not-contact list: counted once, under the first reason.
    const optedOut = await addLead(sql, d.dealershipId, { consent: "opted_out" });
    await addDoNotContact(sql, d.dealershipId, optedOut.phone);
    ids.optedOut = optedOut.id;
    const dnc = await addLead(sql, d.dealershipId);
    await addDoNotContact(sql, d.dealershipId, dnc.phone);
    ids.invalid = (await addLead(sql, d.dealershipId)).id;
    await sql`update public.leads set phone_mark = 'invalid', phone_mark_code = 21211 where id = ${ids.invalid}`;
    ids.landline = (await addLead(sql, d.dealershipId)).id;
    await sql`update public.leads set phone_mark = 'landline', phone_mark_code = 30006 where id = ${ids.landline}`;
    const talking = await addLead(sql, d.dealershipId);
    await addInboundMessage(sql, d.dealershipId, d.numberId, talking.phone);
    ids.recent = (await addLead(sql, d.dealershipId)).id;
    await addOutboundMessage(sql, d.dealershipId, ids.recent, d.numberId, 2);
    ids.longAgo = (await addLead(sql, d.dealershipId)).id;
    await addOutboundMessage(sql, d.dealershipId, ids.longAgo, d.numberId, 30);
  });

  it("counts who can be texted and who is left out, by the first reason that applies", async () => {
    const count = await asMember(d.manager, d.dealershipId, (s) => countAudience(s, { status: [] }));
    expect(count).toEqual({
      eligible: 3, // ok1, ok2, longAgo (texted 30 days ago, beyond the 7-day setting)
      excluded: {
        opted_out: 1,
        do_not_contact: 1,
        reply_suppressed: 0, // supabase/tests/reply-triage.test.ts leaves such leads out
        no_consent: 0,
        invalid_phone: 1,
        landline: 1,
        active_campaign: 0,
        open_conversation: 1,
        recent_text: 1,
      },
    });
  });

  it("requires opt-in when the dealership says so, and the recent-text window is the dealership's", async () => {
    await asMember(d.owner, d.dealershipId, (s) =>
      updateCampaignSettings(s, { requireOptIn: true, recentTextDays: 60 }),
    );
    try {
      const count = await asMember(d.manager, d.dealershipId, (s) => countAudience(s, {}));
      expect(count.eligible).toBe(1); // only ok2 is opted in
      expect(count.excluded.no_consent).toBe(6); // ok1, invalid, landline, talking, recent, longAgo: no_consent comes first
    } finally {
      await asMember(d.owner, d.dealershipId, (s) =>
        updateCampaignSettings(s, { requireOptIn: false, recentTextDays: 7 }),
      );
    }
    const count = await asMember(d.manager, d.dealershipId, (s) => countAudience(s, {}));
    expect(count.eligible).toBe(3);
  });

  it("leads already queued in an active campaign are left out of the next one", async () => {
    const other = await campaignDealership(sql, "Active Motors");
    const lead = await addLead(sql, other.dealershipId);
    const { id } = await draft(other);
    await asMember(other.manager, other.dealershipId, (s) =>
      launchCampaign(s, {
        campaignId: id,
        idempotencyKey: newIdempotencyKey(),
        scheduledAt: new Date(Date.now() + 3_600_000),
      }),
    );
    const count = await asMember(other.manager, other.dealershipId, (s) => countAudience(s, {}));
    expect(count).toMatchObject({ eligible: 0, excluded: { active_campaign: 1 } });
    expect(lead.id).toBeTruthy();
  });

  it("filters by status, consent, assignee, inactivity and source", async () => {
    const f = await campaignDealership(sql, "Filter Motors");
    const a = await addLead(sql, f.dealershipId, { assignedTo: f.rep.userId, consent: "opted_in" });
    await addLead(sql, f.dealershipId);
    await sql`update public.leads set status = 'lost', last_activity_at = now() - interval '100 days' where id = ${a.id}`;
    const count = (audience: object) => asMember(f.manager, f.dealershipId, (s) => countAudience(s, audience));
    expect((await count({ status: ["lost"] })).eligible).toBe(1);
    expect((await count({ status: ["new", "engaged"] })).eligible).toBe(1);
    expect((await count({ consent: "opted_in" })).eligible).toBe(1);
    expect((await count({ assignedTo: f.rep.userId })).eligible).toBe(1);
    expect((await count({ assignedTo: "none" })).eligible).toBe(1);
    expect((await count({ inactiveDays: 90 })).eligible).toBe(2); // never active counts as inactive
    expect((await count({ inactiveDays: 200 })).eligible).toBe(1);
    expect((await count({ sourceId: randomUUID() })).eligible).toBe(0);
    expect((await count({ importId: randomUUID() })).eligible).toBe(0);
  });

  it("refuses a malformed filter with the field named, and reps cannot count", async () => {
    const bad = await asMember(d.manager, d.dealershipId, (s) =>
      countAudience(s, { status: ["nope"] } as never).catch((e: AppError) => e),
    );
    expect(bad).toBeInstanceOf(AppError);
    expect((bad as AppError).fieldErrors?.audience?.length).toBeGreaterThan(0);
    expect(await errorOf(asMember(d.rep, d.dealershipId, (s) => countAudience(s, {})))).toBe("forbidden");
  });

  it("previews the message for real leads, footer on a first message only", async () => {
    const p = await campaignDealership(sql, "Preview Motors");
    const first = await addLead(sql, p.dealershipId, {
      firstName: "Maria",
      vehicle: { year: "2019", make: "Honda", model: "Civic" },
    });
    const texted = await addLead(sql, p.dealershipId, { firstName: "Omar" });
    await addOutboundMessage(sql, p.dealershipId, texted.id, p.numberId, 40);
    const previews = await asMember(p.manager, p.dealershipId, (s) => previewAudience(s, {}, TEMPLATE, 5));
    const byLead = new Map(previews.map((x) => [x.leadId, x]));
    expect(byLead.get(first.id)).toMatchObject({
      firstMessage: true,
      footerAdded: true,
      body: expect.stringMatching(
        /^Hi Maria, still looking at a 2019 Honda Civic\? Preview Motors .*\nReply STOP to opt out$/,
      ),
    });
    expect(byLead.get(texted.id)).toMatchObject({ firstMessage: false, footerAdded: false });
    expect(byLead.get(texted.id)!.body).not.toContain("STOP");
    expect(byLead.get(first.id)!.segments.encoding).toBe("GSM-7");
    const bad = await asMember(p.manager, p.dealershipId, (s) =>
      previewAudience(s, {}, "Hi {frist_name}").catch((e) => e),
    );
    expect((bad as AppError).fieldErrors?.template?.[0]).toMatch(/first_name/);
  });
});

describe("drafts and launches", () => {
  let d: CampaignDealership;

  beforeAll(async () => {
    d = await campaignDealership(sql, "Launch Motors");
    for (let i = 0; i < 4; i++) await addLead(sql, d.dealershipId);
    await addLead(sql, d.dealershipId, { consent: "opted_out" });
  });

  it("a repeated creation key returns the first draft", async () => {
    const key = newIdempotencyKey();
    const a = await draft(d, {}, key);
    const b = await draft(d, {}, key);
    expect(b.id).toBe(a.id);
    const { n } = (
      await sql`select count(*)::int as n from public.campaigns where dealership_id = ${d.dealershipId} and idempotency_key = ${key}`
    )[0]!;
    expect(n).toBe(1);
  });

  it("validates the draft field by field", async () => {
    const err = (await asMember(d.manager, d.dealershipId, (s) =>
      createCampaign(s, { name: " ", sendingNumberId: "x", template: "Hi {nme}", audience: {} }).catch((e) => e),
    )) as AppError;
    expect(err.code).toBe("invalid_input");
    expect(Object.keys(err.fieldErrors ?? {}).sort()).toEqual(["name", "sendingNumberId", "template"]);
    const other = await campaignDealership(sql, "Other Number Motors");
    expect(
      await errorOf(
        asMember(d.manager, d.dealershipId, (s) =>
          createCampaign(s, { name: "X", sendingNumberId: other.numberId, template: "Hi", audience: {} }),
        ),
      ),
    ).toBe("invalid_input"); // RL051: not this dealership's number
  });

  it("launches once per key: enqueues the eligible leads, records the left-out ones, audits", async () => {
    const { id } = await draft(d);
    const key = newIdempotencyKey();
    const first = await asMember(d.manager, d.dealershipId, (s) =>
      launchCampaign(s, { campaignId: id, idempotencyKey: key }),
    );
    expect(first).toMatchObject({ enqueued: 4, alreadyLaunched: false, status: "sending" });
    expect(first.excluded.opted_out).toBe(1);
    // The resubmitted form: same result, nothing enqueued again.
    const again = await asMember(d.manager, d.dealershipId, (s) =>
      launchCampaign(s, { campaignId: id, idempotencyKey: key }),
    );
    expect(again).toEqual({ ...first, alreadyLaunched: true });
    const rows =
      await sql`select status, count(*)::int as n from public.campaign_recipients where campaign_id = ${id} group by status order by status`;
    expect(rows).toEqual([
      { status: "queued", n: 4 },
      { status: "skipped", n: 1 },
    ]);
    const audit = await sql`select action, actor_user_id from public.audit_events where target_id = ${id} order by id`;
    expect(audit.map((a) => a.action)).toEqual(["campaign.created", "campaign.launched"]);
    expect(audit[1]!.actor_user_id).toBe(d.manager.userId);
    // Another key on a launched campaign is refused.
    expect(
      await errorOf(
        asMember(d.manager, d.dealershipId, (s) =>
          launchCampaign(s, { campaignId: id, idempotencyKey: newIdempotencyKey() }),
        ),
      ),
    ).toBe("conflict");
  });

  it("a double click (two launches at once with one key) launches once", async () => {
    const x = await campaignDealership(sql, "Double Click Motors");
    for (let i = 0; i < 3; i++) await addLead(sql, x.dealershipId);
    const { id } = await draft(x);
    const key = newIdempotencyKey();
    const results = await Promise.all(
      [0, 1].map(() =>
        asMember(x.manager, x.dealershipId, (s) => launchCampaign(s, { campaignId: id, idempotencyKey: key })),
      ),
    );
    expect(results.map((r) => r.alreadyLaunched).sort()).toEqual([false, true]);
    const { n } = (
      await sql<{ n: number }[]>`select count(*)::int as n from public.campaign_recipients where campaign_id = ${id}`
    )[0]!;
    expect(n).toBe(3);
  });

  it("a scheduled launch waits for its time; pause, resume and cancel follow the rules and are audited", async () => {
    const { id } = await draft(d, { status: ["new"] });
    // The other campaign of this dealership holds its leads: release them first.
    await sql`update public.campaigns set status = 'canceled', canceled_at = now() where dealership_id = ${d.dealershipId} and status = 'sending'`;
    const at = new Date(Date.now() + 2 * 3_600_000);
    const r = await asMember(d.manager, d.dealershipId, (s) =>
      launchCampaign(s, { campaignId: id, idempotencyKey: newIdempotencyKey(), scheduledAt: at }),
    );
    expect(r.status).toBe("scheduled");
    const [row] =
      await sql`select min(next_attempt_at) as at from public.campaign_recipients where campaign_id = ${id} and status = 'queued'`;
    expect(new Date(row!.at).getTime()).toBe(at.getTime());
    const as = <T>(fn: (s: Parameters<Parameters<typeof asMember>[2]>[0]) => Promise<T>) =>
      asMember(d.manager, d.dealershipId, fn);
    expect(await as((s) => pauseCampaign(s, id))).toEqual({ status: "paused" });
    expect(await as((s) => pauseCampaign(s, id))).toEqual({ status: "paused" }); // no-op
    expect(await as((s) => resumeCampaign(s, id))).toEqual({ status: "scheduled" }); // its time is still ahead
    expect(await as((s) => cancelCampaign(s, id))).toEqual({ status: "canceled" });
    expect(await errorOf(as((s) => resumeCampaign(s, id)))).toBe("conflict");
    expect(await errorOf(as((s) => pauseCampaign(s, id)))).toBe("conflict");
    const { open } = (
      await sql`select count(*) filter (where status = 'queued')::int as open from public.campaign_recipients where campaign_id = ${id}`
    )[0]!;
    expect(open).toBe(0);
    const audit = await sql`select action from public.audit_events where target_id = ${id} order by id`;
    expect(audit.map((a) => a.action)).toEqual([
      "campaign.created",
      "campaign.launched",
      "campaign.paused",
      "campaign.resumed",
      "campaign.canceled",
    ]);
  });

  it("reps can read campaigns but not create, launch or pause them", async () => {
    const { id } = await draft(d);
    expect(
      await errorOf(
        asMember(d.rep, d.dealershipId, (s) =>
          createCampaign(s, { name: "Rep", sendingNumberId: d.numberId, template: "Hi", audience: {} }),
        ),
      ),
    ).toBe("forbidden");
    expect(
      await errorOf(
        asMember(d.rep, d.dealershipId, (s) =>
          launchCampaign(s, { campaignId: id, idempotencyKey: newIdempotencyKey() }),
        ),
      ),
    ).toBe("forbidden");
    expect(await errorOf(asMember(d.rep, d.dealershipId, (s) => pauseCampaign(s, id)))).toBe("forbidden");
    const list = await asMember(d.rep, d.dealershipId, (s) => listCampaigns(s));
    expect(list.some((c) => c.id === id)).toBe(true);
  });

  it("allows 3 launches a minute per dealership; the 4th is rate limited", async () => {
    const r = await campaignDealership(sql, "Rate Motors");
    for (let i = 0; i < 4; i++) await addLead(sql, r.dealershipId);
    const outcomes: (string | null)[] = [];
    for (let i = 0; i < 4; i++) {
      // One lead per campaign, so each launch has someone to text.
      const { id } = await draft(r, {});
      outcomes.push(
        await errorOf(
          asMember(r.manager, r.dealershipId, (s) =>
            launchCampaign(s, { campaignId: id, idempotencyKey: newIdempotencyKey() }),
          ),
        ),
      );
      await sql`update public.campaigns set status = 'canceled', canceled_at = now() where id = ${id} and status <> 'draft'`;
      await sql`update public.campaign_recipients set status = 'canceled' where campaign_id = ${id} and status = 'queued'`;
    }
    expect(outcomes).toEqual([null, null, null, "rate_limited"]);
  });
});

describe("the read side", () => {
  it("getCampaign counts progress from the queue and shows the exclusions", async () => {
    const d = await campaignDealership(sql, "Read Motors");
    const leads = await Promise.all([0, 1, 2].map(() => addLead(sql, d.dealershipId)));
    await addLead(sql, d.dealershipId, { consent: "opted_out" });
    const { id } = await draft(d);
    await asMember(d.manager, d.dealershipId, (s) =>
      launchCampaign(s, { campaignId: id, idempotencyKey: newIdempotencyKey() }),
    );
    await sql`update public.campaign_recipients set status = 'delivered', sent_at = now(), delivered_at = now(), replied_at = now()
      where campaign_id = ${id} and lead_id = ${leads[0]!.id}`;
    await sql`update public.campaign_recipients set status = 'failed', sent_at = now(), failure_kind = 'permanent', error_code = 30006
      where campaign_id = ${id} and lead_id = ${leads[1]!.id}`;
    const c = await asMember(d.rep, d.dealershipId, (s) => getCampaign(s, id));
    expect(c).toMatchObject({
      name: "Spring",
      status: "sending",
      template: TEMPLATE,
      sendingNumber: { id: d.numberId, phoneNumber: d.numberPhone },
      progress: { recipients: 3, queued: 1, delivered: 1, failed: 1, skipped: 1, replied: 1, optedOut: 0 },
      exclusions: { opted_out: 1 },
      launchCounts: { enqueued: 3, excluded: { opted_out: 1 } },
      rates: { reply: 1, optOut: 0, delivery: 0.5 },
    });
    expect(Object.keys(c!.exclusions)).toEqual([...EXCLUSION_REASONS]);
    const other = await campaignDealership(sql, "Other Read Motors");
    expect(await asMember(other.owner, other.dealershipId, (s) => getCampaign(s, id))).toBeNull();
  });

  it("campaign settings default per dealership and only owners and admins change them", async () => {
    const d = await campaignDealership(sql, "Settings Motors");
    expect(await asMember(d.rep, d.dealershipId, (s) => getCampaignSettings(s))).toMatchObject({
      optOutFooter: "Reply STOP to opt out",
      requireOptIn: false,
      recentTextDays: 7,
      frequencyCap: { maxMessages: 1, periodDays: 7 },
      dailySendCap: 2000,
      perNumberPerSecond: 1,
    });
    expect(
      await errorOf(asMember(d.manager, d.dealershipId, (s) => updateCampaignSettings(s, { dailySendCap: 10 }))),
    ).toBe("forbidden");
    expect(
      await errorOf(asMember(d.owner, d.dealershipId, (s) => updateCampaignSettings(s, { optOutFooter: "Bye" }))),
    ).toBe("invalid_input");
    const updated = await asMember(d.owner, d.dealershipId, (s) =>
      updateCampaignSettings(s, {
        optOutFooter: "Text STOP to end",
        sendHours: { start: "10:00", end: "18:00", days: [1, 2, 3, 4, 5] },
      }),
    );
    expect(updated).toMatchObject({ optOutFooter: "Text STOP to end", sendHours: { start: "10:00", end: "18:00" } });
    const [audit] =
      await sql`select metadata from public.audit_events where dealership_id = ${d.dealershipId} and action = 'campaign_settings.updated'`;
    expect(audit!.metadata).toEqual({ fields: "opt_out_footer,send_hours" });
  });
});
