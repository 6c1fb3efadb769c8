import "server-only";
/**
 * The one way app code reaches tenant data for a signed-in user: a transaction that first becomes
 * the `authenticated` role and publishes the verified JWT claims, exactly as PostgREST does, so
 * every RLS policy sees auth.uid() and nothing else.
 */
import type { TransactionSql } from "postgres";
import type { VerifiedClaims } from "@/lib/auth/claims";
import { pool } from "./pool";

export type UserTx = TransactionSql;

/** Run fn in one transaction scoped to the user whose verified claims are given. */
export async function withUser<T>(claims: VerifiedClaims, fn: (tx: UserTx) => Promise<T>): Promise<T> {
  const result = await pool().begin(async (tx) => {
    await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
    return fn(tx);
  });
  return result as T;
}
