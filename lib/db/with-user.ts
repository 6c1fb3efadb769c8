import "server-only";
/**
 * The one way app code reaches tenant data for a signed-in user: a transaction that first becomes
 * the `authenticated` role and publishes the verified JWT claims, exactly as PostgREST does, so
 * every RLS policy sees auth.uid() and nothing else. It also refuses a token whose session has
 * ended (sign-out, refresh-token reuse, expiry): a JWT stays valid by signature for up to an
 * hour after its session is gone, so the signature alone is not enough.
 */
import type { TransactionSql } from "postgres";
import type { VerifiedClaims } from "@/lib/auth/claims";
import { AppError } from "@/lib/server/app-error";
import { pool } from "./pool";

export type UserTx = TransactionSql;

/** Thrown by withUser when the token's session is no longer alive. */
export class SessionEndedError extends AppError {
  constructor() {
    super("unauthenticated", "Your session has ended. Please sign in again.");
    this.name = "SessionEndedError";
  }
}

/** Run fn in one transaction scoped to the user whose verified claims are given. */
export async function withUser<T>(claims: VerifiedClaims, fn: (tx: UserTx) => Promise<T>): Promise<T> {
  const result = await pool().begin(async (tx) => {
    // Both statements are pipelined on the transaction's connection (sent in order, one round
    // trip); the session check is a primary-key lookup plus one index probe.
    const [, [session]] = await Promise.all([
      tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`,
      tx<{ active: boolean }[]>`select private.session_is_active() as active`,
    ]);
    if (!session?.active) throw new SessionEndedError();
    return fn(tx);
  });
  return result as T;
}
