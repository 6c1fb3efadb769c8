/**
 * Finding 15 of issue 8: an import whose process died stayed "processing" forever. A running
 * import renews its lease; an expired lease is marked failed with a reason the import page shows,
 * when the history is loaded and before a new import starts.
 */
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withUser } from "@/lib/db/scope";
import { adminSql, createDealership, createMember, type TestMember } from "@/local-stack/test-fixtures";
import { importLeadsFromCsv } from "./import-leads";
import { expireStaleImports, listLeadImports } from "./import-records";
import { suggestMapping } from "./suggest-mapping";

let sql: Sql;
let dealership: string;
let manager: TestMember;
let rep: TestMember;

const STOPPED = "The import stopped unexpectedly; nothing was saved. Please try again.";
const HEADERS = ["First Name", "Cell Phone"];
const csv = (rows: string[]) => new TextEncoder().encode([HEADERS.join(","), ...rows].join("\r\n"));

/** An import record as a process leaves it, its lease last renewed `secondsAgo` ago. */
async function processingImport(secondsAgo: number): Promise<string> {
  const [row] = await sql`
    insert into public.lead_imports (dealership_id, created_by, status, started_at, heartbeat_at)
    values (${dealership}, ${manager.userId}, 'processing', now() - make_interval(secs => ${secondsAgo + 5}), now() - make_interval(secs => ${secondsAgo}))
    returning id`;
  return row!.id as string;
}
const statusOf = async (id: string) =>
  (
    await sql`select status, error, failure_code, finished_at is not null as finished from public.lead_imports where id = ${id}`
  )[0];

beforeAll(async () => {
  sql = adminSql();
  dealership = await createDealership(sql, "Lease Motors");
  manager = await createMember(sql, dealership, "manager");
  rep = await createMember(sql, dealership, "rep");
});

afterAll(() => sql.end());

describe("the import lease", () => {
  it("an expired lease is marked failed with its reason when the history is loaded; a live one is left alone", async () => {
    const dead = await processingImport(120);
    const live = await processingImport(2);
    const history = await withUser(manager.claims, dealership, async (scope) => {
      expect(await expireStaleImports(scope)).toBe(1);
      return listLeadImports(scope);
    });
    expect(history.find((h) => h.id === dead)).toMatchObject({
      status: "failed",
      error: STOPPED,
      finishedAt: expect.any(Date),
    });
    expect(history.find((h) => h.id === live)).toMatchObject({ status: "processing", error: null });
    const [audit] = await sql`select action, metadata from public.audit_events where target_id = ${dead}`;
    expect(audit).toEqual({ action: "leads.import_failed", metadata: { code: "lease_expired" } });
    await sql`update public.lead_imports set status = 'failed', finished_at = now() where id = ${live}`;
  });

  it("only owners, admins and managers may sweep", async () => {
    const dead = await processingImport(300);
    await expect(withUser(rep.claims, dealership, expireStaleImports)).rejects.toMatchObject({ code: "42501" });
    expect(await statusOf(dead)).toMatchObject({ status: "processing" });
    await withUser(manager.claims, dealership, expireStaleImports);
  });

  it("a new import sweeps first, and renews its own lease while it runs", async () => {
    const dead = await processingImport(90);
    let renewed = false;
    const summary = await importLeadsFromCsv({
      run: (fn) => withUser(manager.claims, dealership, fn),
      source: csv(["Lena,(415) 555-0161", "Lars,(415) 555-0162"]),
      fileName: "lease.csv",
      mapping: suggestMapping(HEADERS),
      // Renew every 20 ms; the first progress report waits long enough to see a renewal committed.
      options: { workers: 0, batchSize: 1, leaseRenewMs: 20 },
      onProgress: async (p) => {
        if (p.phase !== "writing" || renewed) return;
        await new Promise((resolve) => setTimeout(resolve, 150));
        const [row] =
          await sql`select status, heartbeat_at > started_at + interval '50 milliseconds' as renewed from public.lead_imports
          where dealership_id = ${dealership} and status = 'processing' and id <> ${dead}`;
        renewed = row?.renewed === true;
      },
    });
    expect(renewed).toBe(true);
    expect(await statusOf(dead)).toMatchObject({
      status: "failed",
      error: STOPPED,
      failure_code: "lease_expired",
      finished: true,
    });
    expect(await statusOf(summary.importId)).toMatchObject({ status: "completed", error: null });
  });
});
