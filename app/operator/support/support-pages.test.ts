/**
 * Every page under /operator/support/[dealershipId]/ (found on disk, so a new page is covered
 * without editing this file), rendered as Next would call it against the real database: 403
 * without a live grant (and no audit row), and with one a `support.page_viewed` event in the
 * dealership's log naming the operator and the path. Also the support actions of both sides:
 * members cannot ask, only owners answer, and granting needs a fresh re-authentication. And an
 * operator who signed in with a password only (aal1) reaches none of it: every operator page sends
 * them to /operator/security, every operator action refuses them.
 */
import fs from "node:fs";
import path from "node:path";
import type { Sql } from "postgres";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { can } from "@/lib/auth/permissions";
import { withAccount, withUser } from "@/lib/db/scope";
import { listMyMemberships } from "@/lib/dealerships/memberships";
import type { UserState } from "@/lib/server/user-context";
import { createSendingNumber, seedInboundMessage, testLeadPhone } from "@/lib/sms/testing/messaging-fixtures";
import { emulatorMailbox } from "@/local-stack/auth/mailbox-client";
import {
  adminSql,
  createDealership,
  createMember,
  createOperator,
  recordRecentAuth,
  type TestMember,
} from "@/local-stack/test-fixtures";

vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
// `after` runs its task once the response is sent; here the test awaits the tasks itself.
const afterTasks = vi.hoisted(() => [] as Promise<unknown>[]);
vi.mock("next/server", async (original) => ({
  ...(await original<typeof import("next/server")>()),
  after: (task: () => Promise<unknown>) => void afterTasks.push(task()),
}));
vi.mock("next/navigation", () => ({
  forbidden: () => {
    throw new Error("NEXT_FORBIDDEN");
  },
  notFound: () => {
    throw new Error("NEXT_NOT_FOUND");
  },
  redirect: (to: string) => {
    throw new Error(`NEXT_REDIRECT ${to}`);
  },
  unstable_rethrow: () => {},
}));
const signedIn = vi.hoisted(() => ({ state: { kind: "signed_out" } as unknown }));
vi.mock("@/lib/server/user-context", () => ({
  getUserState: async () => signedIn.state,
  getUserContext: async () => {
    const s = signedIn.state as { kind: string; ctx?: unknown };
    return s.kind === "member" ? s.ctx : null;
  },
}));

const ROOT = path.join(import.meta.dirname, "[dealershipId]");

/** Every page file below the dealership, as its route template relative to it ("" for the dealership's own). */
function supportPages(dir = ROOT, rel = ""): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && !entry.name.startsWith("_")) {
      found.push(...supportPages(path.join(dir, entry.name), rel ? `${rel}/${entry.name}` : entry.name));
    } else if (entry.name === "page.tsx") {
      found.push(rel);
    }
  }
  return found.sort();
}

type PageModule = {
  default: (props: { params: Promise<unknown>; searchParams: Promise<Record<string, string>> }) => Promise<unknown>;
};

let sql: Sql;
let dealership: string;
let leadId: string;
let owner: TestMember;
let admin: TestMember;
let operator: TestMember;

function asOperator(m: TestMember) {
  signedIn.state = {
    kind: "no_membership",
    claims: m.claims,
    security: { mfaEnrolled: m.claims.aal === "aal2", recentAuth: false },
  } satisfies UserState;
}

async function asMember(m: TestMember) {
  const { memberships, security } = await withAccount(m.claims, async (s) => ({
    memberships: await listMyMemberships(s),
    security: s.security,
  }));
  const active = memberships.find((x) => x.dealershipId === dealership)!;
  signedIn.state = {
    kind: "member",
    ctx: {
      claims: m.claims,
      memberships,
      active,
      can: (p) => can(active, p),
      run: (fn) => withUser(m.claims, dealership, fn),
      security,
      mfaSetupRequired: false,
    },
  } satisfies UserState;
}

/** The page modules, by template; a page on disk that is missing here fails the first test. */
const PAGE_MODULES: Record<string, () => Promise<PageModule>> = {
  "": () => import("./[dealershipId]/page"),
  campaigns: () => import("./[dealershipId]/campaigns/page"),
  leads: () => import("./[dealershipId]/leads/page"),
  "leads/[leadId]": () => import("./[dealershipId]/leads/[leadId]/page"),
};

/** Open a support page as Next would; its outcome ("ok" or the interrupt's name). */
async function open(template: string): Promise<string> {
  const params: Record<string, string> = { dealershipId: dealership, leadId };
  const mod = await PAGE_MODULES[template]!();
  try {
    await mod.default({ params: Promise.resolve(params), searchParams: Promise.resolve({}) });
    return "ok";
  } catch (err) {
    return (err as Error).message;
  }
}

const expectedPath = (template: string) =>
  `/operator/support/${dealership}${template ? `/${template.replace("[leadId]", leadId)}` : ""}`;

async function pageViews(): Promise<{ actor_user_id: string; path: string }[]> {
  return sql`select actor_user_id, metadata ->> 'path' as path from public.audit_events
    where dealership_id = ${dealership} and action = 'support.page_viewed' order by id`;
}

beforeAll(async () => {
  sql = adminSql();
  dealership = await createDealership(sql, "Support Pages Motors");
  owner = await createMember(sql, dealership, "owner");
  admin = await createMember(sql, dealership, "admin");
  operator = await createOperator(sql);
  const number = await createSendingNumber(sql, dealership);
  ({ leadId } = await seedInboundMessage(sql, dealership, {
    sendingNumberId: number.id,
    from: testLeadPhone(),
    body: "Still looking for a truck",
  }));
});
afterAll(async () => {
  await sql.end();
});
beforeEach(() => {
  signedIn.state = { kind: "signed_out" };
});

describe("the operator's support pages", () => {
  const pages = supportPages();

  it("are all opened by this test (every page file on disk)", () => {
    expect(pages).toEqual(Object.keys(PAGE_MODULES).sort());
  });

  it("send the signed-out to /login and refuse members (403), without an audit row", async () => {
    for (const page of pages) expect(await open(page), page).toBe("NEXT_REDIRECT /login");
    await asMember(owner);
    for (const page of pages) expect(await open(page), page).toBe("NEXT_FORBIDDEN");
    expect(await pageViews()).toEqual([]);
  });

  it("are 403 for an operator without a live grant (none, pending, denied), without an audit row", async () => {
    asOperator(operator);
    for (const page of pages) expect(await open(page), page).toBe("NEXT_FORBIDDEN");
    await sql`insert into public.support_access_requests (dealership_id, operator_user_id, reason)
      values (${dealership}, ${operator.userId}, 'Looking into a failed campaign')`;
    for (const page of pages) expect(await open(page), page).toBe("NEXT_FORBIDDEN");
    await sql`update public.support_access_requests set status = 'denied', decided_at = now(), decided_by = ${owner.userId}
      where operator_user_id = ${operator.userId}`;
    for (const page of pages) expect(await open(page), page).toBe("NEXT_FORBIDDEN");
    expect(await pageViews()).toEqual([]);
  });

  it("with a grant, each opens and writes support.page_viewed with the operator and the path", async () => {
    const [request] = await sql`insert into public.support_access_requests
      (dealership_id, operator_user_id, reason, status, decided_by, decided_at, expires_at)
      values (${dealership}, ${operator.userId}, 'Looking into a failed campaign', 'granted', ${owner.userId}, now(),
              now() + interval '1 hour') returning id`;
    asOperator(operator);
    for (const page of pages) {
      const before = (await pageViews()).length;
      expect(await open(page), page).toBe("ok");
      const views = await pageViews();
      expect(views.length, page).toBe(before + 1);
      expect(views.at(-1), page).toEqual({ actor_user_id: operator.userId, path: expectedPath(page) });
    }
    // Once it expires, every page is 403 again.
    await sql`update public.support_access_requests set decided_at = now() - interval '2 hours',
      expires_at = now() - interval '1 second' where id = ${request!.id}`;
    const before = (await pageViews()).length;
    for (const page of pages) expect(await open(page), page).toBe("NEXT_FORBIDDEN");
    expect((await pageViews()).length).toBe(before);
  });
});

describe("support actions", () => {
  it("members cannot ask for access; operators can", async () => {
    const { requestSupportAccessAction } = await import("./actions");
    const input = { dealershipId: dealership, reason: "The owner called about an import" };
    await asMember(owner);
    expect(await requestSupportAccessAction(input)).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const op = await createOperator(sql);
    asOperator(op);
    expect(await requestSupportAccessAction({ ...input, reason: "short" })).toMatchObject({
      ok: false,
      error: { code: "invalid_input" },
    });
    const since = (await emulatorMailbox(process.env.SUPABASE_URL!))[0]?.id ?? 0;
    afterTasks.length = 0;
    expect(await requestSupportAccessAction(input)).toMatchObject({ ok: true });
    // The owner is e-mailed once the operator has their answer.
    expect(afterTasks).toHaveLength(1);
    await Promise.all(afterTasks);
    const mail = (await emulatorMailbox(process.env.SUPABASE_URL!)).filter((m) => m.id > since && m.to === owner.email);
    expect(mail).toMatchObject([{ kind: "notice", link: new URL("/settings/support", process.env.APP_BASE_URL).href }]);
    expect(mail[0]!.body).toContain(input.reason);
    expect(await requestSupportAccessAction(input)).toMatchObject({ ok: false, error: { code: "conflict" } });
  });

  it("only owners answer, and granting needs a fresh re-authentication", async () => {
    const { grantSupportAccessAction, denySupportAccessAction } = await import("@/app/(app)/settings/support/actions");
    const op = await createOperator(sql);
    asOperator(op);
    const { requestSupportAccessAction } = await import("./actions");
    const asked = await requestSupportAccessAction({ dealershipId: dealership, reason: "Checking reply routing" });
    const requestId = (asked as { ok: true; data: { requestId: string } }).data.requestId;

    await recordRecentAuth(sql, admin);
    await asMember(admin);
    expect(await grantSupportAccessAction({ requestId, minutes: 60 })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    expect(await denySupportAccessAction({ requestId })).toMatchObject({ ok: false, error: { code: "forbidden" } });

    await sql`delete from private.reauthentications where session_id = ${owner.claims.session_id!}`;
    await asMember(owner);
    expect(await grantSupportAccessAction({ requestId, minutes: 60 })).toMatchObject({
      ok: false,
      error: { code: "reauthentication_required" },
    });
    await recordRecentAuth(sql, owner);
    await asMember(owner);
    expect(await grantSupportAccessAction({ requestId, minutes: 45 })).toMatchObject({
      ok: false,
      error: { code: "invalid_input" },
    });
    expect(await grantSupportAccessAction({ requestId, minutes: "240" })).toMatchObject({ ok: true });
    const [row] = await sql`select status, expires_at - decided_at as span from public.support_access_requests
      where id = ${requestId}`;
    expect(row).toMatchObject({ status: "granted" });
  });
});

describe("an operator without a second factor (aal1)", () => {
  it("is sent from every operator page to /operator/security, which opens; every operator action refuses", async () => {
    const passwordOnly = await createOperator(sql, { secondFactor: false });
    await sql`insert into public.support_access_requests
      (dealership_id, operator_user_id, reason, status, decided_by, decided_at, expires_at)
      values (${dealership}, ${passwordOnly.userId}, 'Checking the campaign numbers', 'granted', ${owner.userId},
              now(), now() + interval '1 hour')`;
    asOperator(passwordOnly);
    const before = (await pageViews()).length;
    const console_ = (await import("../page")) as unknown as PageModule;
    const requests = (await import("./page")) as unknown as PageModule;
    for (const page of [console_, requests]) {
      await expect(page.default({ params: Promise.resolve({}), searchParams: Promise.resolve({}) })).rejects.toThrow(
        "NEXT_REDIRECT /operator/security",
      );
    }
    for (const template of supportPages())
      expect(await open(template), template).toBe("NEXT_REDIRECT /operator/security");
    expect(await pageViews()).toHaveLength(before);

    const { requestSupportAccessAction } = await import("./actions");
    expect(
      await requestSupportAccessAction({ dealershipId: dealership, reason: "The owner called about an import" }),
    ).toMatchObject({ ok: false, error: { code: "mfa_required", message: expect.stringContaining("two-factor") } });
    const { changeDealershipStatusAction } = await import("../actions");
    const form = new FormData();
    form.set("dealershipId", dealership);
    form.set("transition", "suspend");
    expect(await changeDealershipStatusAction(null, form)).toEqual({
      ok: false,
      message: expect.stringContaining("two-factor"),
    });
    expect((await sql`select status from public.dealerships where id = ${dealership}`)[0]!.status).toBe("active");

    // Where the second factor is set up: open to this operator and to an operator who has it.
    const security = (await import("../security/page")) as unknown as { default: () => Promise<unknown> };
    await expect(security.default()).resolves.toBeTruthy();
    asOperator(operator);
    await expect(security.default()).resolves.toBeTruthy();
    await asMember(owner);
    await expect(security.default()).rejects.toThrow("NEXT_FORBIDDEN");
  });
});
