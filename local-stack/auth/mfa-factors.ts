/**
 * auth.mfa_factors and auth.mfa_challenges, with GoTrue's rules for TOTP factors.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "./users";

/** One auth.mfa_factors row. */
export interface FactorRow {
  id: string;
  user_id: string;
  friendly_name: string | null;
  factor_type: "totp" | "webauthn" | "phone";
  status: "unverified" | "verified";
  created_at: Date;
  updated_at: Date;
  secret: string | null;
}

/** One auth.mfa_challenges row. */
export interface ChallengeRow {
  id: string;
  factor_id: string;
  created_at: Date;
  verified_at: Date | null;
}

/** The factor JSON GoTrue embeds in the user object (models.Factor; the secret never leaves). */
export function toFactorJson(f: FactorRow): Record<string, unknown> {
  return {
    id: f.id,
    friendly_name: f.friendly_name ?? "",
    factor_type: f.factor_type,
    status: f.status,
    created_at: f.created_at.toISOString(),
    updated_at: f.updated_at.toISOString(),
  };
}

/** Every factor of a user, oldest first. */
export async function listFactors(db: Db, userId: string): Promise<FactorRow[]> {
  return [...(await db<FactorRow[]>`select * from auth.mfa_factors where user_id = ${userId} order by created_at, id`)];
}

/** The user's factor with this id, or null (another user's factor is "not found" too). */
export async function findFactor(db: Db, userId: string, id: string): Promise<FactorRow | null> {
  const [row] = await db<FactorRow[]>`select * from auth.mfa_factors where id = ${id} and user_id = ${userId}`;
  return row ?? null;
}

/** Store a new, unverified TOTP factor. */
export async function insertTotpFactor(
  db: Db,
  userId: string,
  friendlyName: string,
  secret: string,
): Promise<FactorRow> {
  const [row] = await db<FactorRow[]>`
    insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
    values (${randomUUID()}, ${userId}, ${friendlyName}, 'totp', 'unverified', now(), now(), ${secret})
    returning *`;
  return row!;
}

/** Mark a factor verified (its first successful code). */
export async function markFactorVerified(db: Db, id: string): Promise<void> {
  await db`update auth.mfa_factors set status = 'verified', updated_at = now() where id = ${id}`;
}

/** Delete a factor; its challenges go with it. */
export async function deleteFactor(db: Db, id: string): Promise<void> {
  await db`delete from auth.mfa_factors where id = ${id}`;
}

/** Open a challenge against a factor. */
export async function insertChallenge(db: Db, factorId: string, ip: string | null): Promise<ChallengeRow> {
  await db`update auth.mfa_factors set last_challenged_at = now() where id = ${factorId}`;
  const [row] = await db<ChallengeRow[]>`
    insert into auth.mfa_challenges (id, factor_id, created_at, ip_address)
    values (${randomUUID()}, ${factorId}, now(), coalesce(${ip}::inet, '127.0.0.1'::inet))
    returning id, factor_id, created_at, verified_at`;
  return row!;
}

/** Lock a challenge of a factor (a challenge is answered once), or null. */
export async function lockChallenge(db: Db, factorId: string, id: string): Promise<ChallengeRow | null> {
  const [row] = await db<ChallengeRow[]>`
    select id, factor_id, created_at, verified_at from auth.mfa_challenges
    where id = ${id} and factor_id = ${factorId} for update`;
  return row ?? null;
}

/** A challenge is used up once a code answered it. */
export async function markChallengeVerified(db: Db, id: string): Promise<void> {
  await db`update auth.mfa_challenges set verified_at = now() where id = ${id}`;
}
