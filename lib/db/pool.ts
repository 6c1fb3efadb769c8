import "server-only";
/**
 * The process-wide postgres.js pool. App code never queries tenant data through it directly:
 * it goes through withUser (lib/db/with-user.ts) or a named no-user path.
 */
import postgres, { type Sql } from "postgres";
import { serverEnv } from "@/lib/env/server-env";

const globalForPool = globalThis as unknown as { __rlPool?: Sql };

/** The shared pool (one per process; survives dev hot reloads). */
export function pool(): Sql {
  if (!globalForPool.__rlPool) {
    const env = serverEnv();
    globalForPool.__rlPool = postgres(env.DATABASE_URL, {
      max: env.DATABASE_POOL_MAX,
      idle_timeout: 30,
      connect_timeout: 10,
      // Supabase's transaction pooler does not support prepared statements.
      prepare: !/pooler\.supabase\.com/.test(env.DATABASE_URL),
      onnotice: () => {},
    });
  }
  return globalForPool.__rlPool;
}
