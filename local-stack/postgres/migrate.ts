/**
 * Applies the Supabase bootstrap, then every supabase/migrations file once, in order, recorded in
 * supabase_migrations.schema_migrations (the table the Supabase CLI keeps).
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { Sql } from "postgres";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const MIGRATIONS_DIR = path.join(ROOT, "supabase", "migrations");

/** Run the platform bootstrap (idempotent) and any migrations not yet applied. */
export async function migrate(sql: Sql, log: (m: string) => void): Promise<string[]> {
  await sql.unsafe(await fs.readFile(path.join(import.meta.dirname, "bootstrap.sql"), "utf8"));
  await sql.unsafe(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (
      version text primary key, statements text[], name text
    );`);
  const applied = new Set(
    (await sql`select version from supabase_migrations.schema_migrations`).map((r) => r.version as string),
  );
  const files = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
  const ran: string[] = [];
  for (const file of files) {
    const [version, ...rest] = file.replace(/\.sql$/, "").split("_");
    if (!version || applied.has(version)) continue;
    const body = await fs.readFile(path.join(MIGRATIONS_DIR, file), "utf8");
    await sql.begin(async (tx) => {
      await tx.unsafe(body);
      await tx`insert into supabase_migrations.schema_migrations (version, name) values (${version}, ${rest.join("_")})`;
    });
    log(`applied migration ${file}`);
    ran.push(file);
  }
  return ran;
}
