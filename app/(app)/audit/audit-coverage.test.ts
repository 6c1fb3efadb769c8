/**
 * Audit coverage (issue 11, item 5): each operation the issue names is performed, the way the app
 * performs it, and its audit row is asserted: the account events through the real server actions
 * (with a cookie jar standing in for the browser, the real Auth emulator and the real JWKS check),
 * the rest through the domain functions those actions call, as a signed-in member under RLS.
 * Account deletion and its undo are added with that feature (H-delete).
 */
import { generateSync } from "otplib";
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { recordAuditExport } from "@/lib/audit/audit-export";
import { cancelCampaign, createCampaign, launchCampaign, pauseCampaign } from "@/lib/campaigns/campaigns";
import { withUser, type UserScope } from "@/lib/db/scope";
import { recordDataExport } from "@/lib/export/dealership-export";
import { recordOutcomeExport } from "@/lib/export/outcome-export";
import { eraseLead } from "@/lib/leads/erase-lead";
import { addToDoNotContact } from "@/lib/leads/do-not-contact";
import { importLeadsFromCsv } from "@/lib/leads/import/import-leads";
import { seedInboundMessage } from "@/lib/sms/testing/messaging-fixtures";
import { changeMemberRole } from "@/lib/team/members";
import { setTriageLlmEnabled, saveReplyTemplate } from "@/lib/triage/reply-triage-store";
import { addLead, newIdempotencyKey, phoneIn } from "@/local-stack/campaign-fixtures";
import {
  adminSql,
  createDealership,
  createMember,
  recordRecentAuth,
  startSession,
  authClient,
  type TestMember,
} from "@/local-stack/test-fixtures";
import { createSendingNumber } from "@/lib/sms/testing/messaging-fixtures";

/** The browser's cookies for the actions (next/headers has no request here). */
const jar = vi.hoisted(() => new Map<string, string>());
vi.mock("next/headers", () => ({
  cookies: async () => ({
    getAll: () => [...jar].map(([name, value]) => ({ name, value })),
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
    set: (name: string, value: string, options?: { maxAge?: number }) => {
      if (value === "" || options?.maxAge === 0) jar.delete(name);
      else jar.set(name, value);
    },
    delete: (name: string) => jar.delete(name),
  }),
  headers: async () => new Headers({ "user-agent": "vitest audit coverage", "x-forwarded-for": "198.51.100.77" }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
// supabase-js builds a Realtime client eagerly and wants a WebSocket class on Node 20; none is opened.
if (!("WebSocket" in globalThis)) vi.stubGlobal("WebSocket", class {});

const { signInAction, signOutAction, verifySignInCodeAction } = await import("@/app/login/actions");
const { reauthenticateAction, switchDealershipAction } = await import("@/app/(app)/actions");
const { revokeSessionAction } = await import("@/app/(app)/settings/security/actions");

const PASSWORD = "test-password-1";
let sql: Sql;
let home: string;
let second: string;
let user: TestMember;
let colleague: TestMember;
let since: Date;

/** The audit rows of an action in a dealership written since the test began (or since `after`). */
async function rows(dealershipId: string, action: string, after: Date = since) {
  return sql<{ actor_user_id: string | null; target_id: string | null; metadata: Record<string, unknown> }[]>`
    select actor_user_id, target_id, metadata from public.audit_events
    where dealership_id = ${dealershipId} and action = ${action} and created_at >= ${after}
    order by chain_seq`;
}

/** The database's clock now: rows written after this are the next step's (fixtures sign in too). */
async function mark(): Promise<Date> {
  const [row] = await sql<{ now: Date }[]>`select clock_timestamp() as now`;
  return row!.now;
}

const asUser = <T>(dealershipId: string, fn: (s: UserScope) => Promise<T>) => withUser(user.claims, dealershipId, fn);

/** A Next redirect (the action's success path) or a thrown refusal. */
const redirected = (p: Promise<unknown>) =>
  expect(p).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT/) });

beforeAll(async () => {
  sql = adminSql();
  since = new Date(Date.now() - 1000);
  home = await createDealership(sql, "Coverage Home");
  second = await createDealership(sql, "Coverage Second");
  user = await createMember(sql, home, "owner");
  await sql`insert into public.memberships (dealership_id, user_id, role) values (${second}, ${user.userId}, 'admin')`;
  colleague = await createMember(sql, home, "rep");
  await recordRecentAuth(sql, user);
});
afterAll(async () => {
  await sql.end();
});

describe("every operation the issue names leaves its audit row", () => {
  it("sign-in failure: in each dealership of the account, with no actor and never the e-mail", async () => {
    const result = await signInAction({ email: user.email, password: "not-the-password" });
    expect(result).toMatchObject({ ok: false });
    for (const d of [home, second]) {
      expect(await rows(d, "auth.sign_in_failed")).toEqual([
        { actor_user_id: null, target_id: user.userId, metadata: { reason: "wrong_password" } },
      ]);
    }
    const [leak] = await sql`select count(*)::int as n from public.audit_events
      where created_at >= ${since} and (metadata::text like ${`%${user.email}%`} or target_id = ${user.email})`;
    expect(leak!.n).toBe(0);
  });

  it("sign-in success, once in each dealership of the user", async () => {
    const before = await mark();
    await redirected(signInAction({ email: user.email, password: PASSWORD }));
    for (const d of [home, second]) {
      expect(await rows(d, "auth.signed_in", before)).toEqual([
        {
          actor_user_id: user.userId,
          target_id: user.userId,
          metadata: { second_factor: "none", method: "password" },
        },
      ]);
    }
  });

  it("a sign-in straight against the Auth API (not through /login) is recorded too, once", async () => {
    const before = await mark();
    const { error } = await authClient().auth.signInWithPassword({ email: colleague.email, password: PASSWORD });
    expect(error).toBeNull();
    expect(await rows(home, "auth.signed_in", before)).toEqual([
      {
        actor_user_id: colleague.userId,
        target_id: colleague.userId,
        metadata: { second_factor: "none", method: "password" },
      },
    ]);
    // Refreshing the token starts no session and records nothing.
    expect(await rows(second, "auth.signed_in", before)).toEqual([]);
  });

  it("re-authentication", async () => {
    expect(await reauthenticateAction({ password: PASSWORD })).toMatchObject({ ok: true });
    expect(await rows(home, "auth.reauthenticated")).toEqual([
      { actor_user_id: user.userId, target_id: user.userId, metadata: { method: "password" } },
    ]);
  });

  it("dealership switch", async () => {
    await redirected(switchDealershipAction({ dealershipId: second }));
    expect(await rows(second, "dealership.switched")).toHaveLength(1);
  });

  it("settings changes: the dealership's own settings and its suggested replies", async () => {
    await asUser(home, (s) => setTriageLlmEnabled(s, true));
    await asUser(home, (s) => saveReplyTemplate(s, { intent: "question", body: "Happy to help!", autoSend: false }));
    expect(await rows(home, "dealership.settings_changed")).toEqual([
      {
        actor_user_id: user.userId,
        target_id: home,
        metadata: { fields: "triageLlmEnabled", triage_llm_enabled: true },
      },
    ]);
    expect(await rows(home, "reply_template.saved")).toEqual([
      { actor_user_id: user.userId, target_id: "question", metadata: { auto_send: false } },
    ]);
  });

  it("member changes", async () => {
    await asUser(home, (s) => changeMemberRole(s, colleague.userId, "manager"));
    expect(await rows(home, "team.role_changed")).toHaveLength(1);
  });

  it("imports", async () => {
    await importLeadsFromCsv({
      run: (fn) => asUser(home, fn),
      source: new TextEncoder().encode(`Name,Phone\r\nIvy Import,${phoneIn()}\r\n`),
      fileName: "coverage.csv",
      mapping: { Name: "fullName", Phone: "phone" },
      options: { workers: 0 },
    });
    expect(await rows(home, "leads.imported")).toHaveLength(1);
  });

  it("campaign create, launch, pause and cancel", async () => {
    const number = await createSendingNumber(sql, home);
    await addLead(sql, home, { consent: "opted_in" });
    const { id } = await asUser(home, (s) =>
      createCampaign(s, {
        name: "Coverage",
        sendingNumberId: number.id,
        template: "Hi {first_name|there}",
        audience: {},
      }),
    );
    await asUser(home, (s) =>
      launchCampaign(s, {
        campaignId: id,
        idempotencyKey: newIdempotencyKey(),
        scheduledAt: new Date(Date.now() + 3_600_000),
      }),
    );
    await asUser(home, (s) => pauseCampaign(s, id));
    await asUser(home, (s) => cancelCampaign(s, id));
    for (const action of ["campaign.created", "campaign.launched", "campaign.paused", "campaign.canceled"]) {
      expect(await rows(home, action), action).toHaveLength(1);
    }
  });

  it("consent changes: a STOP reply and the do-not-contact list", async () => {
    const number = await createSendingNumber(sql, home);
    const phone = phoneIn();
    await seedInboundMessage(sql, home, {
      sendingNumberId: number.id,
      from: phone,
      body: "STOP",
      consentAction: "opt_out",
    });
    await asUser(home, (s) => addToDoNotContact(s, [phoneIn()], { source: "manual" }));
    expect(await rows(home, "lead.opted_out")).toHaveLength(1);
    expect(await rows(home, "do_not_contact.added")).toHaveLength(1);
  });

  it("exports: everything, the outcomes, the audit log", async () => {
    await recordRecentAuth(sql, user);
    await asUser(home, (s) => recordDataExport(s, "csv"));
    await asUser(home, (s) => recordOutcomeExport(s, null));
    await asUser(home, (s) => recordAuditExport(s, { action: "auth.*" }));
    for (const action of ["data.exported", "data.outcomes_exported", "audit.exported"]) {
      expect(await rows(home, action), action).toHaveLength(1);
    }
  });

  it("erasures", async () => {
    const lead = await addLead(sql, home);
    await recordRecentAuth(sql, user);
    await asUser(home, (s) => eraseLead(s, lead.id));
    expect(await rows(home, "lead.erased")).toHaveLength(1);
  });

  it("ending one other session (Settings → Security), in each dealership of the user", async () => {
    const otherDevice = await startSession(sql, user.userId);
    const before = await mark();
    expect(await revokeSessionAction({ sessionId: otherDevice })).toEqual({ ok: true, data: { revoked: true } });
    for (const d of [home, second]) {
      expect(await rows(d, "auth.signed_out", before)).toEqual([
        { actor_user_id: user.userId, target_id: user.userId, metadata: { scope: "other_session" } },
      ]);
    }
    // Someone else's session is not ended, and nothing is recorded.
    const notMine = await startSession(sql, colleague.userId);
    const after = await mark();
    expect(await revokeSessionAction({ sessionId: notMine })).toEqual({ ok: true, data: { revoked: false } });
    expect(await rows(home, "auth.signed_out", after)).toEqual([]);
  });

  it("sign-out, in each dealership of the user", async () => {
    const before = await mark();
    await redirected(signOutAction());
    for (const d of [home, second]) {
      expect(await rows(d, "auth.signed_out", before)).toEqual([
        { actor_user_id: user.userId, target_id: user.userId, metadata: { scope: "local" } },
      ]);
    }
  });

  it("nobody forges an account event: the functions are not the API roles' to call", async () => {
    await expect(
      asUser(
        home,
        ({ sql: tx }) =>
          tx`select private.record_session_event(${user.claims.session_id!}, ${user.userId}, 'auth.signed_in', 'none')`,
      ),
    ).rejects.toMatchObject({ code: "42501" });
    await expect(
      asUser(home, ({ sql: tx }) => tx`select private.record_sign_in_failure(${colleague.email})`),
    ).rejects.toMatchObject({ code: "42501" });
    await expect(
      asUser(
        home,
        ({ sql: tx }) => tx`select private.record_second_factor_failure(${user.claims.session_id!}, ${user.userId})`,
      ),
    ).rejects.toMatchObject({ code: "42501" });
  });

  it("the app cannot write a second sign-in row: the database records sign-ins itself", async () => {
    await expect(
      sql.begin(async (tx) => {
        await tx`set local role session_guard`;
        return tx`select private.record_session_event(${colleague.claims.session_id!}, ${colleague.userId}, 'auth.signed_in', 'none')`;
      }),
    ).rejects.toMatchObject({ code: "22023" });
  });
});

describe("the second step of signing in", () => {
  let mfaUser: TestMember;
  let secret: string;

  beforeAll(async () => {
    mfaUser = await createMember(sql, home, "manager", "mfa");
    await sql`insert into public.memberships (dealership_id, user_id, role) values (${second}, ${mfaUser.userId}, 'rep')`;
    // The user sets up an authenticator app (through Auth, as Settings → Security does).
    const setup = authClient();
    await setup.auth.signInWithPassword({ email: mfaUser.email, password: PASSWORD });
    const { data, error } = await setup.auth.mfa.enroll({ factorType: "totp", friendlyName: "Phone" });
    expect(error).toBeNull();
    secret = data!.totp.secret;
    expect(
      (await setup.auth.mfa.challengeAndVerify({ factorId: data!.id, code: generateSync({ secret }) })).error,
    ).toBeNull();
  });

  it("a wrong code is a failed sign-in in each dealership, with no actor and never the e-mail; the right one is not", async () => {
    jar.clear();
    const before = await mark();
    await expect(signInAction({ email: mfaUser.email, password: PASSWORD })).rejects.toMatchObject({
      digest: expect.stringContaining("/login/mfa"),
    });
    for (const d of [home, second]) {
      expect(await rows(d, "auth.signed_in", before)).toEqual([
        {
          actor_user_id: mfaUser.userId,
          target_id: mfaUser.userId,
          metadata: { second_factor: "pending", method: "password" },
        },
      ]);
    }
    // Not one of the codes of the current, previous or next 30 seconds.
    const near = [-30, 0, 30].map((s) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + s }));
    const wrong = ["000000", "111111", "222222", "333333"].find((c) => !near.includes(c))!;
    expect(await verifySignInCodeAction({ code: wrong })).toMatchObject({
      ok: false,
      error: { code: "invalid_input" },
    });
    for (const d of [home, second]) {
      expect(await rows(d, "auth.sign_in_failed", before)).toEqual([
        { actor_user_id: null, target_id: mfaUser.userId, metadata: { reason: "wrong_code" } },
      ]);
    }
    await redirected(verifySignInCodeAction({ code: generateSync({ secret }) }));
    expect(await rows(home, "auth.sign_in_failed", before)).toHaveLength(1);
    expect(await rows(home, "auth.second_factor_verified", before)).toHaveLength(1);
    const [leak] = await sql`select count(*)::int as n from public.audit_events
      where created_at >= ${before} and metadata::text like ${`%${mfaUser.email}%`}`;
    expect(leak!.n).toBe(0);
  });
});
