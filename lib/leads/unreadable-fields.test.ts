/**
 * Finding 8 of issue 8: a member inserted, as the authenticated role, a lead whose ciphertext
 * would not decrypt, and /leads answered 500 for everyone. Now a malformed value is refused by the
 * database (supabase/tests/lead-invariants.test.ts), and a well-formed one that still will not
 * decrypt (moved from another row) leaves the list rendering, that lead's record unreadable (every
 * field: one envelope holds them all, issue 14), a log line without personal data and one audit
 * event.
 */
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { blindIndex } from "@/lib/crypto/blind-index";
import { withUser } from "@/lib/db/scope";
import { logger } from "@/lib/observability/logger";
import { adminSql, createDealership, createLead, createMember, type TestMember } from "@/local-stack/test-fixtures";
import { LEAD_PII_FIELDS } from "./lead-fields";
import { getLead } from "./lead-queries";
import { findLeadsPage } from "./lead-search";

let sql: Sql;
let dealership: string;
let owner: TestMember;
let rep: TestMember;
let goodLead: string;
let badLead: string;

beforeAll(async () => {
  sql = adminSql();
  dealership = await createDealership(sql, "Unreadable Motors");
  owner = await createMember(sql, dealership, "owner");
  rep = await createMember(sql, dealership, "rep");
  goodLead = await createLead(sql, dealership, { phone: "+13125556001", firstName: "Gloria", lastName: "Vance" });
  // The rep copies Gloria's record envelope into a lead of their own: well-formed, so the check
  // constraint lets it in, but bound to another row, so it will never decrypt here.
  const [good] = await sql<{ pii_enc: string }[]>`select pii_enc from public.leads where id = ${goodLead}`;
  const moved = good!.pii_enc;
  const [row] = await withUser(
    rep.claims,
    dealership,
    (scope) => scope.sql<{ id: string }[]>`
    insert into public.leads (dealership_id, phone_bidx, pii_enc, assigned_to)
    values (${dealership}, ${blindIndex("phone", "+13125556002", dealership)}, ${moved}, ${rep.userId}) returning id`,
  );
  badLead = row!.id;
});

afterAll(() => sql.end());

describe("a lead record that will not decrypt", () => {
  it("leaves the list rendering, shows its fields as unreadable, logs ids only and is audited once", async () => {
    const warn = vi.spyOn(logger(), "warn").mockImplementation(() => {});
    try {
      const filters = { sort: "activity_desc", page: 1 } as const;
      for (let load = 0; load < 2; load++) {
        const page = await withUser(owner.claims, dealership, (scope) => findLeadsPage(scope, filters, 50));
        expect(page.total).toBe(2);
        const good = page.leads.find((l) => l.id === goodLead)!;
        const bad = page.leads.find((l) => l.id === badLead)!;
        expect(good).toMatchObject({ pii: { firstName: "Gloria", lastName: "Vance" }, unreadable: [] });
        expect(bad).toMatchObject({
          pii: { firstName: null, phone: null },
          unreadable: expect.arrayContaining(["firstName", "phone"]),
        });
      }
      expect(warn).toHaveBeenCalledWith(
        { event: "decrypt_failed", leadId: badLead, column: "pii_enc", reason: "authentication_failed" },
        "lead field did not decrypt",
      );
      for (const call of warn.mock.calls) expect(JSON.stringify(call)).not.toMatch(/Gloria|Vance|555/);
    } finally {
      warn.mockRestore();
    }
    const events =
      await sql`select actor_user_id, metadata from public.audit_events where target_id = ${badLead} and action = 'lead.decrypt_failed'`;
    expect(events).toEqual([
      {
        actor_user_id: owner.userId,
        metadata: { column: "pii_enc", reason: "authentication_failed", fingerprint: expect.any(String) },
      },
    ]);
  });

  it("the lead's own page renders too, for the rep who owns it", async () => {
    const warn = vi.spyOn(logger(), "warn").mockImplementation(() => {});
    try {
      const lead = await withUser(rep.claims, dealership, (scope) => getLead(scope, badLead));
      expect(lead).toMatchObject({ pii: { firstName: null, phone: null, notes: null } });
      expect(lead?.unreadable).toEqual([...LEAD_PII_FIELDS]); // the record-only CRM id too
    } finally {
      warn.mockRestore();
    }
  });
});
