/** importLeadsFromCsv under RLS as the UI calls it: tenant isolation, roles, re-import, nothing in plaintext. */
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withAccount, withUser } from "@/lib/db/scope";
import { adminSql, createDealership, createMember, type TestMember } from "@/local-stack/test-fixtures";
import { NOT_LARGE_FILE_ROWS } from "./testing/large-file-dealership";
import { importLeadsFromCsv } from "./import-leads";
import { suggestMapping } from "./suggest-mapping";

let sql: Sql;
let dealershipA: string;
let dealershipB: string;
let managerA: TestMember;
let repA: TestMember;
let ownerB: TestMember;

const HEADERS = ["First Name", "Last Name", "Cell Phone", "Email Address", "VIN", "SMS Opt-In"];
const MAPPING = suggestMapping(HEADERS);
const csv = (rows: string[]) => new TextEncoder().encode([HEADERS.join(","), ...rows].join("\r\n"));
const FILE = csv([
  "Quinton,Marsh,(415) 555-0101,quinton.marsh@example.net,1HGCM82633A004352,",
  "Ursula,Vance,(415) 555-0102,ursula.vance@example.net,,Opted Out",
  "Quinton,Marsh,415.555.0101,,,", // same phone: merged within the file
  "Nope,Nobody,12,,,",
]);

const importAs = (member: TestMember, dealershipId: string, bytes: Uint8Array, onProgress?: () => void) =>
  importLeadsFromCsv({
    run: (fn) => withUser(member.claims, dealershipId, fn),
    source: bytes,
    fileName: "quinton_marsh_export.csv",
    mapping: MAPPING,
    onProgress,
  });

beforeAll(async () => {
  sql = adminSql();
  dealershipA = await createDealership(sql, "Import A");
  dealershipB = await createDealership(sql, "Import B");
  managerA = await createMember(sql, dealershipA, "manager");
  repA = await createMember(sql, dealershipA, "rep");
  ownerB = await createMember(sql, dealershipB, "owner");
});

afterAll(() => sql.end());

describe("importLeadsFromCsv", () => {
  it("imports, merges by phone, reports invalid and suppressed rows, and records the import", async () => {
    const summary = await importAs(managerA, dealershipA, FILE);
    expect(summary.counts).toMatchObject({ total: 4, imported: 2, duplicates: 1, invalid: 1, suppressed: 1 });
    expect(summary.rejected.map((r) => r.rowNumber)).toEqual([5]);
    expect(summary.rejectsCsv()).toMatch(/reason/);
    const [record] =
      await sql`select status, imported_count, created_by from public.lead_imports where id = ${summary.importId}`;
    expect(record).toEqual({ status: "completed", imported_count: 2, created_by: managerA.userId });
    const [audit] =
      await sql`select metadata from public.audit_events where dealership_id = ${dealershipA} and action = 'leads.imported'`;
    expect(JSON.stringify(audit?.metadata)).not.toMatch(/Quinton|555|example/);
  });

  it("re-importing the same file creates and changes nothing", async () => {
    const before = await sql`select * from public.leads where dealership_id = ${dealershipA} order by id`;
    const again = await importAs(managerA, dealershipA, FILE);
    expect(again.counts.imported).toBe(0);
    expect(await sql`select * from public.leads where dealership_id = ${dealershipA} order by id`).toEqual(before);
  });

  it("stores none of the imported plaintext anywhere in the raw tables", async () => {
    const secrets = [
      "Quinton",
      "Marsh",
      "Ursula",
      "Vance",
      "4155550101",
      "415) 555-0101",
      "quinton.marsh@example.net",
      "1HGCM82633A004352",
      "quinton_marsh_export",
    ];
    const tables = await sql`
      select t.table_name, exists (select 1 from information_schema.columns c where c.table_schema = 'public'
        and c.table_name = t.table_name and c.column_name = 'dealership_id') as by_dealership
      from information_schema.tables t where t.table_schema = 'public' and t.table_type = 'BASE TABLE'`;
    for (const { table_name, by_dealership } of tables) {
      const rows = await sql.unsafe(
        `select t::text as row from public.${table_name} t ${by_dealership ? `where ${NOT_LARGE_FILE_ROWS}` : ""}`,
      );
      for (const { row } of rows) for (const secret of secrets) expect(row).not.toContain(secret);
    }
  });

  it("dealership B sees neither A's leads nor A's import record", async () => {
    const seen = await withAccount(ownerB.claims, async ({ sql: tx }) => ({
      leads: await tx<{ id: string }[]>`select id from public.leads where dealership_id = ${dealershipA}`,
      imports: await tx<{ id: string }[]>`select id from public.lead_imports where dealership_id = ${dealershipA}`,
    }));
    expect(seen).toEqual({ leads: [], imports: [] });
    const before = await sql`select count(*)::int as n from public.leads where dealership_id = ${dealershipA}`;
    await expect(importAs(ownerB, dealershipA, csv(["Zed,Zee,(415) 555-0199,,,"]))).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(await sql`select count(*)::int as n from public.leads where dealership_id = ${dealershipA}`).toEqual(before);
  });

  it("a rep cannot import", async () => {
    await expect(importAs(repA, dealershipA, csv(["Rep,Lead,(415) 555-0150,,,"]))).rejects.toMatchObject({
      code: "forbidden",
    });
  });

  it("an interrupted import leaves no leads and a failed record", async () => {
    const before = (await sql`select count(*)::int as n from public.leads where dealership_id = ${dealershipA}`)[0]!.n;
    let failedId: string | undefined;
    await expect(
      importAs(managerA, dealershipA, csv(["New,One,(415) 555-0160,,,", "New,Two,(415) 555-0161,,,"]), () => {
        throw new Error("connection lost");
      }),
    ).rejects.toSatisfy((err: unknown) => {
      failedId = (err as { importId?: string }).importId;
      return true;
    });
    expect((await sql`select count(*)::int as n from public.leads where dealership_id = ${dealershipA}`)[0]!.n).toBe(
      before,
    );
    const [record] =
      await sql`select status, error from public.lead_imports where dealership_id = ${dealershipA} order by started_at desc limit 1`;
    expect(record!.status).toBe("failed");
    if (failedId)
      expect((await sql`select status from public.lead_imports where id = ${failedId}`)[0]!.status).toBe("failed");
  });
});
