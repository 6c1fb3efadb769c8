/**
 * Brute force on TOTP codes is limited per user before a guess reaches Auth: after 5 wrong codes
 * in a minute even the right code is refused, and no further challenge is opened at Auth.
 */
import { generateSync } from "otplib";
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSql, authClient, createDealership, createMember, type TestMember } from "@/local-stack/test-fixtures";
import { startTotpEnrolment, verifiedTotpFactorId, verifyTotpCode } from "./second-factor";

let sql: Sql;
let member: TestMember;

beforeAll(async () => {
  sql = adminSql();
  member = await createMember(sql, await createDealership(sql, "Code Motors"), "rep");
});
afterAll(async () => {
  await sql.end();
});

const challenges = async (factorId: string) =>
  (await sql<{ n: number }[]>`select count(*)::int as n from auth.mfa_challenges where factor_id = ${factorId}`)[0]!.n;

describe("TOTP codes", () => {
  it("enrols with a locally rendered QR code, then limits guesses to 5 a minute per user", async () => {
    const setup = authClient();
    await setup.auth.signInWithPassword({ email: member.email, password: "test-password-1" });
    const enrolment = await startTotpEnrolment(setup);
    expect(enrolment.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(enrolment.qrCode.split(",")[1]!, "base64").toString()).toMatch(/^<svg/);
    await verifyTotpCode(setup, member.userId, enrolment.factorId, generateSync({ secret: enrolment.secret }));

    const attacker = authClient();
    await attacker.auth.signInWithPassword({ email: member.email, password: "test-password-1" });
    const factorId = (await verifiedTotpFactorId(attacker))!;
    for (let i = 0; i < 5; i++) {
      await expect(verifyTotpCode(attacker, member.userId, factorId, "000000")).rejects.toMatchObject({
        code: "invalid_input",
      });
    }
    const before = await challenges(factorId);
    await expect(
      verifyTotpCode(attacker, member.userId, factorId, generateSync({ secret: enrolment.secret })),
    ).rejects.toMatchObject({ code: "rate_limited" });
    expect(await challenges(factorId)).toBe(before);
  });
});
