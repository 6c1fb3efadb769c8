/**
 * The support access e-mails: every owner (and no one else) is told of a request, with who asks,
 * why, that nothing is visible before a grant, and a token-free link to Settings → Support
 * access; the co-owners are told of a grant; a mail failure never throws and logs no address.
 * Runs against the test stack: its Postgres (the support_notifier role and definer function) and
 * the Auth emulator's local mailbox.
 */
import type { Sql } from "postgres";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { withUser } from "@/lib/db/scope";
import { NoticeTransportMissingError } from "@/lib/mail/notice-email";
import { logger } from "@/lib/observability/logger";
import { emulatorMailbox, type MailboxEmail } from "@/local-stack/auth/mailbox-client";
import {
  adminSql,
  createDealership,
  createMember,
  createOperator,
  recordRecentAuth,
  type TestMember,
} from "@/local-stack/test-fixtures";
import { grantSupportAccess, requestSupportAccess } from "./support-access";
import { formatUntil } from "./support-notice-text";
import { notifySupportOwners } from "./support-notices";

let sql: Sql;
let dealership: string;
let owner: TestMember;
let coOwner: TestMember;
let manager: TestMember;

const REASON = "The owner called: the import of last week's CRM file looks stuck";

beforeAll(async () => {
  sql = adminSql();
  dealership = await createDealership(sql, "Notice Motors");
  owner = await createMember(sql, dealership, "owner", "owner");
  coOwner = await createMember(sql, dealership, "owner", "coowner");
  manager = await createMember(sql, dealership, "manager");
});
afterAll(() => sql.end());
afterEach(() => vi.restoreAllMocks());

/** The notices delivered to an address since `since` (a mailbox id). */
async function noticesTo(email: string, since: number): Promise<MailboxEmail[]> {
  const all = await emulatorMailbox(process.env.SUPABASE_URL!);
  return all.filter((m) => m.kind === "notice" && m.to === email && m.id > since);
}

async function lastMailboxId(): Promise<number> {
  return (await emulatorMailbox(process.env.SUPABASE_URL!))[0]?.id ?? 0;
}

describe("support access e-mails", () => {
  it("tell every owner of a request, and only the owners; after a grant, the other owners", async () => {
    const operator = await createOperator(sql);
    const since = await lastMailboxId();
    const requestId = await requestSupportAccess(operator.claims, { dealershipId: dealership, reason: REASON });

    expect(await notifySupportOwners(requestId, "requested")).toEqual({ sent: 2, failed: 0 });
    const link = new URL("/settings/support", process.env.APP_BASE_URL).toString();
    for (const o of [owner, coOwner]) {
      const [mail, ...more] = await noticesTo(o.email, since);
      expect(more).toEqual([]);
      expect(mail!.subject).toContain("Notice Motors");
      expect(mail!.body).toContain(operator.email);
      expect(mail!.body).toContain(REASON);
      expect(mail!.body).toContain("Nothing is visible to them until an owner grants access");
      expect(mail!.body).toContain(`Settings → Support access: ${link}`);
      // The link is the settings page itself: no token, no id, no query string.
      expect(mail!.link).toBe(link);
    }
    expect(await noticesTo(manager.email, since)).toEqual([]);
    expect(await noticesTo(operator.email, since)).toEqual([]);

    const afterRequest = await lastMailboxId();
    await recordRecentAuth(sql, owner);
    const expiresAt = await withUser(owner.claims, dealership, (s) => grantSupportAccess(s, requestId, 60));
    expect(await notifySupportOwners(requestId, "granted")).toEqual({ sent: 1, failed: 0 });
    expect(await noticesTo(owner.email, afterRequest)).toEqual([]);
    const [granted] = await noticesTo(coOwner.email, afterRequest);
    expect(granted!.subject).toMatch(/^Support access to Notice Motors.* was granted$/);
    expect(granted!.body).toContain(`${owner.email.split("@")[0]} granted`);
    expect(granted!.body).toContain(operator.email);
    // Until when, in the dealership's time zone (the fixture's default, New York).
    expect(granted!.body).toContain(`until ${formatUntil(expiresAt, "America/New_York")}`);
    expect(granted!.body).toMatch(/until \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M E[SD]T\./);
    expect(granted!.link).toBe(link);
  });

  it("never throws when mail fails, and logs the failure without an address", async () => {
    const operator = await createOperator(sql);
    const requestId = await requestSupportAccess(operator.claims, { dealershipId: dealership, reason: REASON });
    const errors = vi.spyOn(logger(), "error").mockImplementation(() => {});
    const warnings = vi.spyOn(logger(), "warn").mockImplementation(() => {});

    const refused = await notifySupportOwners(requestId, "requested", async () => {
      throw new Error(`relay refused ${owner.email}`);
    });
    expect(refused).toEqual({ sent: 0, failed: 2 });
    expect(errors).toHaveBeenCalledTimes(2);
    const logged = JSON.stringify(errors.mock.calls);
    expect(logged).toContain("support_notice_failed");
    expect(logged).not.toContain("@");

    // A deployment without a notice transport: one warning, not one per owner.
    const missing = await notifySupportOwners(requestId, "requested", async () => {
      throw new NoticeTransportMissingError();
    });
    expect(missing).toEqual({ sent: 0, failed: 1 });
    expect(JSON.stringify(warnings.mock.calls)).toContain("support_notice_not_sent");

    // The database refusing (here: not a uuid) is logged too, never thrown.
    expect(await notifySupportOwners("not-a-request", "requested")).toEqual({ sent: 0, failed: 0 });
    expect(JSON.stringify(errors.mock.calls.at(-1))).toContain("support_notice_failed");
  });

  it("the notifier role reads nothing but the notice", async () => {
    const [row] = await sql<{ tables: number; fns: number }[]>`
      select (select count(*)::int from information_schema.role_table_grants where grantee = 'support_notifier') as tables,
             (select count(*)::int from information_schema.role_routine_grants where grantee = 'support_notifier') as fns`;
    expect(row).toEqual({ tables: 0, fns: 1 });
  });
});
