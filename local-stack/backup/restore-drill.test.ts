/**
 * The restore drill runs in CI: it dumps the test stack's database (shared with the other test
 * files, which keep writing: the counts and the dump read one snapshot), restores it into a fresh
 * cluster and checks it. Needs PostgreSQL 17's client programs (scripts/install-pg-client.sh,
 * which .ci/run runs).
 */
import path from "node:path";
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKey, keyringFromEnv, parseKeyring } from "../../lib/crypto/keyring";
import { adminSql, createDealership, createLead, createMember } from "../test-fixtures";
import { runRestoreDrill } from "./restore-drill";

const workDir = (label: string) =>
  path.resolve(import.meta.dirname, "../../.local-stack", `restore-drill-${label}-${process.pid}`);

describe("restore drill", () => {
  let sql: Sql;
  const dealerships: string[] = [];

  beforeAll(async () => {
    sql = adminSql();
    for (const name of ["Drill North", "Drill South"]) {
      const id = await createDealership(sql, name);
      dealerships.push(id);
      await createMember(sql, id, "owner");
      for (let i = 0; i < 3; i++) {
        await createLead(sql, id, { phone: `+1555010${String(i).padStart(4, "0")}`, firstName: `Drill${i}` });
      }
    }
  });
  afterAll(async () => {
    await sql.end();
  });

  it("restores into a fresh cluster with the same rows, RLS isolating and leads decrypting", async () => {
    const report = await runRestoreDrill({
      sourceUrl: process.env.DATABASE_URL!,
      keyring: keyringFromEnv(),
      workDir: workDir("ok"),
      sampleDealershipIds: dealerships,
    });
    expect(report.countMismatches).toEqual([]);
    expect(report.rlsFlagMismatches).toEqual([]);
    expect(report.tables).toBeGreaterThan(20);
    expect(report.rows).toBeGreaterThanOrEqual(8);
    expect(report.rls).toMatchObject({ checked: true, otherDealershipRowsVisible: 0 });
    expect(report.rls.ownLeadsVisible).toBeGreaterThan(0);
    expect(report.rls.otherDealershipRowsTotal).toBeGreaterThan(0);
    expect(report.decrypt).toEqual({ sampled: 6, decrypted: 6, failures: [] });
    expect(report.ok).toBe(true);
  }, 120_000);

  it("fails when the restored leads cannot be read with the keys at hand (a backup without its keys)", async () => {
    const otherKeys = parseKeyring(`other:${generateKey()}`, generateKey());
    const report = await runRestoreDrill({
      sourceUrl: process.env.DATABASE_URL!,
      keyring: otherKeys,
      workDir: workDir("wrong-keys"),
      sampleDealershipIds: dealerships,
    });
    expect(report.decrypt.sampled).toBe(6);
    expect(report.decrypt.decrypted).toBe(0);
    expect(report.decrypt.failures).toHaveLength(6);
    expect(report.ok).toBe(false);
  }, 120_000);
});
