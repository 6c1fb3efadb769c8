import { randomUUID } from "node:crypto";
import { generateSecret } from "otplib";
import type { Sql } from "postgres";
import { insertTotpFactor, markFactorVerified } from "../../local-stack/auth/mfa-factors";
import { createUser } from "../../local-stack/auth/users";
import { e2eDb, SPEC_PASSWORD } from "../team/team.po";

/**
 * A platform operator of the spec's own (sign-ins are limited per e-mail, and other specs sign the
 * demo operator in), created as the platform would: app_metadata.platform_role set by the service
 * side. Operators need a second factor: by default it has a verified authenticator whose key is
 * `secret`; with `secondFactor: false` it has none yet (the console sends it to set one up).
 */
export async function createSpecOperator(
  options: { email?: string; secondFactor?: boolean; sql?: Sql } = {},
): Promise<{ id: string; email: string; secret: string | null }> {
  const sql = options.sql ?? e2eDb();
  try {
    const email = options.email ?? `operator-${randomUUID().slice(0, 8)}@operator-spec.test`;
    const { id } = await createUser(sql, {
      email,
      password: SPEC_PASSWORD,
      userMetadata: { display_name: "Spec operator" },
      appMetadata: { platform_role: "operator" },
    });
    if (options.secondFactor === false) return { id, email, secret: null };
    const secret = generateSecret();
    const factor = await insertTotpFactor(sql, id, "Spec authenticator", secret);
    await markFactorVerified(sql, factor.id);
    return { id, email, secret };
  } finally {
    if (!options.sql) await sql.end();
  }
}
