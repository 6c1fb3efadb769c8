import "server-only";
/**
 * The process-wide postgres.js pool. App code never queries tenant data through it directly:
 * it goes through withUser (lib/db/with-user.ts) or a named no-user path.
 */
import net from "node:net";
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
      // A documented option (README, "Custom socket") missing from postgres.js's types.
      ...({ socket: noDelaySocket } as object),
    });
  }
  return globalForPool.__rlPool;
}

/**
 * The pool's TCP connection to Postgres, with Nagle's algorithm off (TCP_NODELAY), as libpq and
 * most other Postgres drivers have it, which postgres.js does not. With it on, a small message
 * sent right after a large one (the statement after a COPY, a savepoint after a big insert) waits
 * for the server's delayed acknowledgement: measured, 43 ms per batch of an import, a fifth of
 * its time. Connects as postgres.js itself does (first host, or the Unix socket path); TLS, when
 * configured, is negotiated over this socket by postgres.js.
 */
export function noDelaySocket({ path, host, port }: { path?: string; host: string[]; port: number[] }): net.Socket {
  const socket = new net.Socket();
  socket.setNoDelay(true); // applied as soon as the connection is made
  if (path) return socket.connect(path);
  // postgres.js reads these back (TLS server name, error messages).
  Object.assign(socket, { host: host[0], port: port[0] });
  return socket.connect(port[0]!, host[0]!);
}
