/**
 * The import's look-ups and fills read the leads they name, not the dealership's whole list,
 * however stale the table's statistics are. An import's own rows are not in the statistics until
 * it commits, so in a new database the planner takes `leads` for a small table; the statements
 * written as joins were then planned as a read of every lead of the dealership per batch (a tenth
 * of the writing connection's time at 100,000 rows, growing with the file; see the README's
 * performance section). Not timed: counts the rows Postgres reads, in the transaction's own
 * statistics.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withUser, type UserScope } from "@/lib/db/scope";
import { adminSql, createDealership, createMember, type TestMember } from "@/local-stack/test-fixtures";
import { lookupKnown, prepareImportTransaction, readFillTargets, updateFills } from "./lead-batch-sql";

let sql: Sql;
let dealershipId: string;
let manager: TestMember;

// Leads the import "wrote" earlier in the transaction, unknown to the statistics.
const UNCOMMITTED_LEADS = 20_000;
const OTHER_DEALERSHIPS = 30;
const bidx = () => randomBytes(32).toString("base64url").slice(0, 43);

beforeAll(async () => {
  sql = adminSql();
  dealershipId = await createDealership(sql, "Import plans");
  manager = await createMember(sql, dealershipId, "manager");
  // Other tenants' leads, then statistics taken while this dealership has none: to the planner it
  // is a dealership without leads, as for a dealership's first import on a shared database.
  for (let i = 0; i < OTHER_DEALERSHIPS; i++) {
    const other = await createDealership(sql, `Import plans other ${i}`);
    await sql`
      insert into public.leads (dealership_id, phone_bidx)
      select ${other}, b from json_array_elements_text(${JSON.stringify(Array.from({ length: 200 }, bidx))}::text::json) as b`;
  }
  await sql`analyze public.leads`;
});

afterAll(() => sql.end());

/** Heap rows of public.leads read so far in this transaction (sequential and index scans). */
async function leadRowsRead({ sql: tx }: UserScope): Promise<number> {
  const [row] = await tx<{ n: string }[]>`
    select coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) as n
    from pg_stat_xact_user_tables where relid = 'public.leads'::regclass`;
  return Number(row?.n ?? 0);
}

describe("the import's statements under stale statistics", () => {
  it("read only the leads they look up or fill, not the dealership's other leads", async () => {
    await withUser(manager.claims, dealershipId, async (scope) => {
      await prepareImportTransaction(scope);
      const phones = Array.from({ length: UNCOMMITTED_LEADS }, bidx);
      await scope.sql`
        insert into public.leads (dealership_id, phone_bidx)
        select ${dealershipId}, b from json_array_elements_text(${JSON.stringify(phones)}::text::json) as b`;
      const wanted = phones.slice(0, 10);
      const ids = await scope.sql<{ id: string }[]>`
        select id from public.leads where dealership_id = ${dealershipId}
        and phone_bidx = any(array(select json_array_elements_text(${JSON.stringify(wanted)}::text::json)))`;
      expect(ids).toHaveLength(10);

      let before = await leadRowsRead(scope);
      const known = await lookupKnown(scope, [...wanted, bidx()]);
      expect(known.known.size).toBe(10);
      expect((await leadRowsRead(scope)) - before).toBeLessThan(100);

      before = await leadRowsRead(scope);
      const targets = await readFillTargets(scope, wanted);
      expect(targets).toHaveLength(10);
      expect((await leadRowsRead(scope)) - before).toBeLessThan(100);

      before = await leadRowsRead(scope);
      await updateFills(
        scope,
        randomUUID(),
        targets.map((t) => ({
          id: t.id,
          pii_enc: null,
          email_bidx: null,
          full_name_bidx: null,
          source_id: null,
          assigned_to: null,
          last_activity_at: new Date().toISOString(),
          consent_status: null,
          consent_source: null,
          consent_updated_at: null,
        })),
      );
      expect((await leadRowsRead(scope)) - before).toBeLessThan(100);
      throw new RolledBack();
    }).catch((err) => {
      if (!(err instanceof RolledBack)) throw err;
    });
  });
});

/** Ends the test's transaction without committing its 20,000 leads. */
class RolledBack extends Error {}
