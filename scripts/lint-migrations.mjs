#!/usr/bin/env node
/**
 * Lints the migrations added after the last one that had landed when squawk was introduced (landed
 * migrations are never edited, so they are not linted): each must be named `<14-digit timestamp>_<area>.sql`
 * and begin with `set lock_timeout` and `set statement_timeout`, so a migration waiting on a busy
 * table fails fast instead of queueing every query behind it; then squawk (.squawk.toml) checks the SQL.
 *
 * Usage: node scripts/lint-migrations.mjs [migrations folder]   (npm run lint:migrations)
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { getBinaryPath } from "squawk-cli/js/index.js";

// The last migration on main when this gate arrived; the ones up to it landed unlinted and stay as they are.
const LAST_UNLINTED = "20261130003100";
const root = path.resolve(import.meta.dirname, "..");
const dir = path.resolve(process.argv[2] ?? path.join(root, "supabase", "migrations"));

const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".sql") && f.slice(0, LAST_UNLINTED.length) > LAST_UNLINTED)
  .sort();
if (files.length === 0) {
  console.log(`lint:migrations: no migrations newer than ${LAST_UNLINTED}`);
  process.exit(0);
}

/** The statements before the first one that is not a `set`, without comments. */
function leadingSets(sqlText) {
  const code = sqlText.replace(/\/\*[\s\S]*?\*\//g, "").replace(/--.*$/gm, "");
  const sets = [];
  for (const statement of code.split(";").map((s) => s.trim().toLowerCase())) {
    if (statement === "") continue;
    const match = /^set\s+(?:local\s+)?([a-z_]+)\s*(?:=|to)/.exec(statement);
    if (!match) break;
    sets.push(match[1]);
  }
  return sets;
}

const problems = [];
for (const file of files) {
  if (!/^\d{14}_[a-z0-9_]+\.sql$/.test(file)) problems.push(`${file}: name it <14-digit timestamp>_<area>.sql`);
  const sets = leadingSets(fs.readFileSync(path.join(dir, file), "utf8"));
  for (const setting of ["lock_timeout", "statement_timeout"]) {
    if (!sets.includes(setting)) problems.push(`${file}: must begin with \`set ${setting} = ...;\``);
  }
}
for (const problem of problems) console.error(problem);

const squawk = spawnSync(
  getBinaryPath(),
  ["--config", path.join(root, ".squawk.toml"), ...files.map((f) => path.join(dir, f))],
  { stdio: "inherit" },
);
if (squawk.error) throw squawk.error;
const ok = problems.length === 0 && squawk.status === 0;
console.log(`lint:migrations: ${files.length} migration(s) ${ok ? "pass" : "FAIL"}`);
process.exit(ok ? 0 : 1);
