/**
 * Operators assign the platform's Twilio numbers to dealerships and release them, at the database
 * as the authenticated role (operator vs member), and through lib/platform/operator-numbers.ts
 * with the real twilio SDK asking the local emulator what the platform owns. A number belongs to
 * one dealership at a time (RL095); every change is audited in the dealership's log with the
 * operator as actor.
 */
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VerifiedClaims } from "@/lib/auth/claims";
import { withAccount } from "@/lib/db/scope";
import { assignSendingNumberAsOperator, releaseSendingNumberAsOperator } from "@/lib/platform/operator-numbers";
import { testSendingNumber } from "@/lib/sms/testing/messaging-fixtures";
import {
  adminSql,
  createDealership,
  createMember,
  createOperator,
  recordRecentAuth,
  type TestMember,
} from "@/local-stack/test-fixtures";
import { testOwnedNumbers } from "@/local-stack/twilio/owned-inventory";

let sql: Sql;
let operator: TestMember;
let owner: TestMember;
let dealershipA: string;
let dealershipB: string;
// Block 2 of the emulator's fixture belongs to this file (other files use other blocks).
const owned = testOwnedNumbers(2);

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string }) => e.code ?? String(e),
  );

/** Call the definer functions as the authenticated role with these claims. */
const assign = (claims: VerifiedClaims, dealershipId: string, phone: string) =>
  withAccount(claims, async ({ sql: tx }) => {
    const [r] = await tx<
      { id: string }[]
    >`select public.platform_assign_sending_number(${dealershipId}, ${phone}) as id`;
    return r!.id;
  });
const release = (claims: VerifiedClaims, dealershipId: string, address: string) =>
  withAccount(claims, async ({ sql: tx }) => {
    const [r] = await tx<
      { released: boolean }[]
    >`select public.platform_release_sending_number(${dealershipId}, ${address}) as released`;
    return r!.released;
  });
/** What Twilio said, as the server records it before calling the function (fresh for 10 minutes). */
const recordOwned = (phone: string) =>
  sql`insert into private.twilio_phone_numbers (phone_number, verified_at) values (${phone}, now())
      on conflict (phone_number) do update set verified_at = now()`;
const ownerOf = async (phone: string) =>
  (
    await sql<
      { dealership_id: string }[]
    >`select dealership_id from public.sending_numbers where phone_number = ${phone}`
  )[0]?.dealership_id ?? null;
const auditOf = (dealershipId: string, targetId: string) =>
  sql<{ action: string; actor_user_id: string; metadata: unknown }[]>`
    select action, actor_user_id, metadata from public.audit_events
    where dealership_id = ${dealershipId} and target_type = 'sending_number' and target_id = ${targetId}
    order by created_at, id`;

beforeAll(async () => {
  sql = adminSql();
  dealershipA = await createDealership(sql, "Assign North");
  dealershipB = await createDealership(sql, "Assign South");
  owner = await createMember(sql, dealershipA, "owner");
  await recordRecentAuth(sql, owner);
  operator = await createOperator(sql);
});
afterAll(async () => {
  await sql.end();
});

describe("operators assign and release sending numbers (SQL, as the authenticated role)", () => {
  it("an operator assigns a confirmed platform number, audited in the dealership's log with the operator as actor", async () => {
    const phone = testSendingNumber();
    await recordOwned(phone);
    const id = await assign(operator.claims, dealershipA, phone);
    expect(await ownerOf(phone)).toBe(dealershipA);
    expect(await auditOf(dealershipA, id)).toEqual([
      {
        action: "sending_number.added",
        actor_user_id: operator.userId,
        metadata: { kind: "phone_number", by: "operator" },
      },
    ]);
  });

  it("a member, even the owner, can neither assign nor release (42501), and nothing changes", async () => {
    const phone = testSendingNumber();
    await recordOwned(phone);
    expect(await codeOf(assign(owner.claims, dealershipA, phone))).toBe("42501");
    expect(await ownerOf(phone)).toBeNull();
    await assign(operator.claims, dealershipA, phone);
    expect(await codeOf(release(owner.claims, dealershipA, phone))).toBe("42501");
    expect(await ownerOf(phone)).toBe(dealershipA);
  });

  it("a number belongs to one dealership at a time (RL095) until it is released", async () => {
    const phone = testSendingNumber();
    await recordOwned(phone);
    const id = await assign(operator.claims, dealershipA, phone);
    expect(await codeOf(assign(operator.claims, dealershipB, phone))).toBe("RL095");
    expect(await codeOf(assign(operator.claims, dealershipA, phone))).toBe("RL095");
    expect(await ownerOf(phone)).toBe(dealershipA);

    expect(await release(operator.claims, dealershipB, phone)).toBe(false);
    expect(await release(operator.claims, dealershipA, phone)).toBe(true);
    expect(await ownerOf(phone)).toBeNull();
    expect((await auditOf(dealershipA, id)).map((e) => [e.action, e.actor_user_id])).toEqual([
      ["sending_number.added", operator.userId],
      ["sending_number.removed", operator.userId],
    ]);
    expect(await release(operator.claims, dealershipA, phone)).toBe(false);

    await assign(operator.claims, dealershipB, phone);
    expect(await ownerOf(phone)).toBe(dealershipB);
  });

  it("refuses a number in another dealership's Messaging Service pool (RL095)", async () => {
    const sid = `MG${"e".repeat(30)}${String(Date.now() % 100).padStart(2, "0")}`;
    const pooled = testSendingNumber();
    await recordOwned(pooled);
    await sql`insert into private.twilio_messaging_services (messaging_service_sid, verified_at) values (${sid}, now())
              on conflict do nothing`;
    await sql`insert into private.twilio_service_numbers (messaging_service_sid, phone_number) values (${sid}, ${pooled})`;
    await sql`insert into public.sending_numbers (dealership_id, messaging_service_sid) values (${dealershipB}, ${sid})`;
    expect(await codeOf(assign(operator.claims, dealershipA, pooled))).toBe("RL095");
  });

  it("refuses a number Twilio did not confirm (RL020), a malformed one (22023) and an unknown dealership (RL071)", async () => {
    expect(await codeOf(assign(operator.claims, dealershipA, testSendingNumber()))).toBe("RL020");
    expect(await codeOf(assign(operator.claims, dealershipA, "5551234"))).toBe("22023");
    const phone = testSendingNumber();
    await recordOwned(phone);
    expect(await codeOf(assign(operator.claims, "00000000-0000-4000-8000-000000000000", phone))).toBe("RL071");
  });
});

describe("operator numbers through lib/platform (real twilio SDK against the emulator)", () => {
  it("assigns a number the emulated account owns, typed in national form, and releases it", async () => {
    const phone = owned[0]!;
    const id = await assignSendingNumberAsOperator(operator.claims, {
      dealershipId: dealershipA,
      phoneNumber: `(312) 555-${phone.slice(-4)}`,
      label: "Main line",
    });
    expect(await ownerOf(phone)).toBe(dealershipA);
    const [row] = await sql`select label from public.sending_numbers where id = ${id}`;
    expect(row!.label).toBe("Main line");
    const taken = await codeOf(
      assignSendingNumberAsOperator(operator.claims, { dealershipId: dealershipB, phoneNumber: phone }),
    );
    expect(taken).toBe("conflict");
    expect(await releaseSendingNumberAsOperator(operator.claims, { dealershipId: dealershipA, address: phone })).toBe(
      true,
    );
    expect(await ownerOf(phone)).toBeNull();
  });

  it("refuses a number the platform's account does not own, before touching the database", async () => {
    const err = await assignSendingNumberAsOperator(operator.claims, {
      dealershipId: dealershipA,
      phoneNumber: "+13125559999",
    }).catch((e: unknown) => e as { code?: string; message?: string });
    expect(err).toMatchObject({ code: "invalid_input" });
    expect(await ownerOf("+13125559999")).toBeNull();
  });
});
