/**
 * The import's largest promise: a 250,000-row CRM export (the documented maximum) imports whole,
 * in this test process, without its memory growing with the file. The file is streamed from disk
 * (as the bench does), and the process's RSS is sampled throughout: its peak must stay under the
 * limit the README states (256 MB), whatever the file's row count. Not a timing test.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withUser } from "@/lib/db/scope";
import { adminSql, createDealership, createMember, type TestMember } from "@/local-stack/test-fixtures";
import { CRM_EXPORT_HEADERS, writeCrmExportCsv } from "./crm-export-fixture";
import { importLeadsFromCsv } from "./import-leads";
import { MAX_IMPORT_ROWS } from "./import-limits";
import { suggestMapping } from "./suggest-mapping";

const RSS_LIMIT_BYTES = 256 * 1024 * 1024;
const MB = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

let sql: Sql;
let dir: string;
let csvPath: string;
let dealership: string;
let owner: TestMember;

beforeAll(async () => {
  sql = adminSql();
  dealership = await createDealership(sql, "Large File Motors");
  owner = await createMember(sql, dealership, "owner");
  dir = mkdtempSync(path.join(tmpdir(), "import-large-"));
  csvPath = path.join(dir, "crm-export.csv");
  writeCrmExportCsv(csvPath, MAX_IMPORT_ROWS);
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await sql?.end();
});

describe("a 250,000-row file", () => {
  it("imports whole while the process's RSS stays under 256 MB", { timeout: 240_000 }, async () => {
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
    let summary;
    try {
      summary = await importLeadsFromCsv({
        run: (fn) => withUser(owner.claims, dealership, fn),
        source: { path: csvPath },
        fileName: "large-crm-export.csv",
        mapping: suggestMapping(CRM_EXPORT_HEADERS),
      });
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    console.info(`[large import] RSS before ${MB(before)}, peak ${MB(peak)}; ${summary.durationMs} ms`);

    const c = summary.counts;
    expect(c.total).toBe(MAX_IMPORT_ROWS);
    expect(c.imported + c.updated + c.duplicates + c.invalid).toBe(MAX_IMPORT_ROWS);
    expect(c.invalid).toBeGreaterThan(2_000); // the fixture's invalid phones, all listed (under the cap)
    expect(summary.rejected).toHaveLength(c.invalid);
    const [{ n }] =
      (await sql`select count(*)::int as n from public.leads where dealership_id = ${dealership}`) as unknown as [
        { n: number },
      ];
    expect(n).toBe(c.imported);
    expect(peak).toBeLessThan(RSS_LIMIT_BYTES);
  });
});
