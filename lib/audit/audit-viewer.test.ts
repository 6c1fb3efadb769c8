/**
 * The audit log viewer and its CSV export against the real database, under RLS: filters by actor
 * (user id or "system"), action (exact or a family) and UTC dates; keyset pages that together hold
 * every matching row exactly once; managers and other dealerships see nothing; the query string's
 * schema refuses personal data and malformed values with a clear message; the export is recorded
 * with its filters, holds only the filtered rows and neutralizes formula cells.
 */
import Papa from "papaparse";
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withUser, type UserScope } from "@/lib/db/scope";
import { adminSql, createDealership, createMember, type TestMember } from "@/local-stack/test-fixtures";
import { listAuditEvents, listAuditFilterChoices } from "./audit-events";
import { recordAuditExport, streamAuditLogCsv } from "./audit-export";
import { auditExportBodySchema, auditFiltersSchema, type AuditFilters } from "./audit-filters.schema";

let sql: Sql;
let dealership: string;
let other: string;
let owner: TestMember;
let admin: TestMember;
let manager: TestMember;

const asOwner = <T>(fn: (s: UserScope) => Promise<T>) => withUser(owner.claims, dealership, fn);

async function insertEvents(
  dealershipId: string,
  n: number,
  e: { actor: string | null; action: string; at: string; targetId?: string },
): Promise<void> {
  await sql`
    insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, created_at)
    select ${dealershipId}, ${e.actor}, ${e.action}, 'lead', ${e.targetId ?? null}, ${e.at}::timestamptz + make_interval(secs => g)
    from generate_series(1, ${n}) g`;
}

/** Every page, walking older from the newest, then back newer; returns chain positions per page. */
async function walk(filters: AuditFilters, limit: number) {
  const older: number[][] = [];
  let cursor: number | undefined;
  for (;;) {
    const page = await asOwner((s) => listAuditEvents(s, { ...filters, before: cursor }, limit));
    older.push(page.events.map((e) => e.chainSeq));
    if (page.older === null) break;
    cursor = page.older;
  }
  const newer: number[][] = [];
  let after: number | undefined = older.at(-1)!.at(0);
  while (after !== undefined) {
    const page = await asOwner((s) => listAuditEvents(s, { ...filters, after }, limit));
    newer.push(page.events.map((e) => e.chainSeq));
    after = page.newer ?? undefined;
  }
  return { older, newer };
}

beforeAll(async () => {
  sql = adminSql();
  dealership = await createDealership(sql, "Audit Viewer Motors");
  other = await createDealership(sql, "Audit Viewer Other");
  owner = await createMember(sql, dealership, "owner");
  admin = await createMember(sql, dealership, "admin");
  manager = await createMember(sql, dealership, "manager");
  await insertEvents(dealership, 70, { actor: admin.userId, action: "lead.updated", at: "2026-01-10T10:00:00Z" });
  await insertEvents(dealership, 30, { actor: owner.userId, action: "team.invited", at: "2026-02-01T23:59:45Z" });
  await insertEvents(dealership, 5, { actor: owner.userId, action: "team.role_changed", at: "2026-02-03T08:00:00Z" });
  await insertEvents(dealership, 12, { actor: null, action: "lead.opted_out", at: "2026-03-05T12:00:00Z" });
  await insertEvents(dealership, 1, {
    actor: null,
    action: "lead.updated",
    at: "2026-03-06T12:00:00Z",
    targetId: '=HYPERLINK("http://evil")',
  });
  await insertEvents(other, 20, { actor: null, action: "lead.updated", at: "2026-01-10T10:00:00Z" });
});
afterAll(async () => {
  await sql.end();
});

describe("the audit log viewer", () => {
  it("filters by person, system, action, family and UTC dates", async () => {
    const count = async (f: AuditFilters) => (await asOwner((s) => listAuditEvents(s, f, 500))).events.length;
    expect(await count({})).toBeGreaterThanOrEqual(118);
    expect(await count({ actor: admin.userId })).toBe(70);
    expect(await count({ actor: "system" })).toBeGreaterThanOrEqual(13);
    expect(await count({ action: "team.invited" })).toBe(30);
    expect(await count({ action: "team.*" })).toBe(35);
    expect(await count({ actor: owner.userId, action: "team.*", from: "2026-02-03", to: "2026-02-03" })).toBe(5);
    // Days are whole UTC days: the invitations run from 23:59:46 on the 1st to 00:00:15 on the 2nd.
    expect(await count({ action: "team.invited", to: "2026-02-01" })).toBe(14);
    expect(await count({ action: "team.invited", from: "2026-02-02" })).toBe(16);
  });

  it("pages with keyset cursors: every matching row once, newest first, and back again", async () => {
    const { older, newer } = await walk({ actor: admin.userId }, 30);
    expect(older.map((p) => p.length)).toEqual([30, 30, 10]);
    const all = older.flat();
    expect(new Set(all).size).toBe(70);
    expect(all).toEqual([...all].sort((a, b) => b - a));
    // Walking back from the oldest page: the pages newer than it, the last one the newest full page.
    expect(newer.flat().slice(-30)).toEqual(older[0]);
    expect(newer.at(-1)).toEqual(older[0]);
  });

  it("shows nothing to a manager, and never another dealership's rows", async () => {
    const asManager = await withUser(manager.claims, dealership, (s) => listAuditEvents(s, {}, 500));
    expect(asManager.events).toEqual([]);
    const rows = (await asOwner((s) => listAuditEvents(s, {}, 500))).events;
    const [count] = await sql<
      { n: number }[]
    >`select count(*)::int as n from public.audit_events where dealership_id = ${dealership}`;
    expect(rows).toHaveLength(count!.n);
    expect(rows.every((r) => r.targetType !== null)).toBe(true);
  });

  it("offers members by id and the recorded actions as filter choices", async () => {
    const choices = await asOwner(listAuditFilterChoices);
    expect(choices.actors.map((a) => a.userId)).toEqual(
      expect.arrayContaining([owner.userId, admin.userId, manager.userId]),
    );
    expect(choices.actions).toEqual(expect.arrayContaining(["lead.updated", "team.invited", "team.role_changed"]));
  });
});

describe("the query string", () => {
  const issues = (q: Record<string, string>) => {
    const r = auditFiltersSchema.safeParse(q);
    return r.success ? [] : r.error.issues.map((i) => i.message);
  };

  it("takes ids, action names and dates, and blank fields as no filter", () => {
    expect(auditFiltersSchema.parse({ actor: "", action: "team.*", from: "2026-02-01", to: "", before: "40" })).toEqual(
      {
        action: "team.*",
        from: "2026-02-01",
        before: 40,
      },
    );
  });

  it("refuses an e-mail (or any text) for the person, unknown keys, impossible dates and a reversed range", () => {
    expect(issues({ actor: "owner@example.test" })).toEqual(["Choose a person from the list."]);
    expect(issues({ action: "owner@example.test" })).toEqual(["Choose an action from the list."]);
    expect(issues({ email: "owner@example.test" })).toHaveLength(1);
    expect(issues({ from: "2026-02-30" })).toEqual(["From is not a real date."]);
    expect(issues({ to: "yesterday" })).toEqual(["To must be a date (YYYY-MM-DD)."]);
    expect(issues({ from: "2026-03-01", to: "2026-02-01" })).toEqual(["To must not be before From."]);
    expect(issues({ before: "-3" })).toEqual(["Not a page of this log."]);
  });
});

describe("the CSV export of the filtered log", () => {
  it("is recorded with its filters, holds only the filtered rows and neutralizes formula cells", async () => {
    const filters = auditExportBodySchema.parse({ actor: "system", action: "lead.updated" });
    await asOwner((s) => recordAuditExport(s, filters));
    const chunks: Buffer[] = [];
    for await (const c of streamAuditLogCsv((fn) => withUser(owner.claims, dealership, fn), filters))
      chunks.push(c as Buffer);
    const csv = Buffer.concat(chunks).toString("utf8");
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const parsed = Papa.parse<Record<string, string>>(csv.slice(1), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toHaveLength(1);
    expect(parsed.data[0]).toMatchObject({
      actor: "system",
      action: "lead.updated",
      target_id: `'=HYPERLINK("http://evil")`,
    });
    expect(parsed.data[0]!.row_hash).toMatch(/^[0-9a-f]{64}$/);

    // Oldest first, in the chain's numeric order (position 10 after 9).
    const byAdmin: Buffer[] = [];
    for await (const c of streamAuditLogCsv((fn) => withUser(owner.claims, dealership, fn), { actor: admin.userId }))
      byAdmin.push(c as Buffer);
    const positions = Papa.parse<Record<string, string>>(Buffer.concat(byAdmin).toString("utf8").slice(1), {
      header: true,
      skipEmptyLines: true,
    }).data.map((r) => Number(r.position));
    expect(positions).toHaveLength(70);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));

    const [audit] = await sql<{ actor_user_id: string; metadata: unknown }[]>`
      select actor_user_id, metadata from public.audit_events
      where dealership_id = ${dealership} and action = 'audit.exported' order by chain_seq desc limit 1`;
    expect(audit).toEqual({
      actor_user_id: owner.userId,
      metadata: { filters: { actor: "system", action: "lead.updated" } },
    });
  });

  it("is refused to a manager, and the database takes no free text as a filter (RL091)", async () => {
    await expect(withUser(manager.claims, dealership, (s) => recordAuditExport(s, {}))).rejects.toMatchObject({
      code: "42501",
    });
    await expect(
      asOwner(
        ({ sql: tx }) =>
          tx`select public.record_audit_export(${dealership}, ${tx.json({ action: "jane@example.test" })})`,
      ),
    ).rejects.toMatchObject({ code: "RL091" });
    await expect(
      asOwner(({ sql: tx }) => tx`select public.record_audit_export(${dealership}, ${tx.json({ note: "Jane Doe" })})`),
    ).rejects.toMatchObject({ code: "RL091" });
  });
});
