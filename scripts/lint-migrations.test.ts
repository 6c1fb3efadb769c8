import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

/** Runs scripts/lint-migrations.mjs on a folder holding the given migrations. */
function lint(files: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lint-migrations-"));
  dirs.push(dir);
  for (const [name, sql] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), sql);
  const run = spawnSync(process.execPath, [path.join(import.meta.dirname, "lint-migrations.mjs"), dir], {
    encoding: "utf8",
  });
  return { status: run.status, output: run.stdout + run.stderr };
}
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const HEADER = "set lock_timeout = '5s';\nset statement_timeout = '60s';\n\n";
const LANDED = { "20261130003100_sending_number_ownership.sql": "create index i on public.leads (created_at);\n" };

describe("lint:migrations", () => {
  it("passes a new migration with the timeout header and leaves landed ones alone", () => {
    const run = lint({
      ...LANDED,
      "20261201000100_notes.sql": `${HEADER}alter table public.leads add column notes text;\n`,
    });
    expect(run.output).toContain("1 migration(s) pass");
    expect(run.status).toBe(0);
  });

  it("refuses a new migration that does not begin with both timeouts", () => {
    const run = lint({
      "20261201000100_notes.sql": "set lock_timeout = '5s';\nalter table public.leads add column notes text;\n",
    });
    expect(run.output).toContain("must begin with `set statement_timeout");
    expect(run.output).not.toContain("must begin with `set lock_timeout");
    expect(run.status).toBe(1);
  });

  it("refuses what squawk finds: a blocking index build on an existing table", () => {
    const run = lint({
      "20261201000100_index.sql": `${HEADER}create index leads_created_idx on public.leads (created_at);\n`,
    });
    expect(run.output).toContain("require-concurrent-index-creation");
    expect(run.status).toBe(1);
  });

  it("refuses a badly named file", () => {
    const run = lint({ "20261201000100-Notes.sql": `${HEADER}select 1;\n` });
    expect(run.output).toContain("name it <14-digit timestamp>_<area>.sql");
    expect(run.status).toBe(1);
  });
});
