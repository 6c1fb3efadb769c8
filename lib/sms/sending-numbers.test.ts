/**
 * Registering sending numbers through the real path: the real twilio SDK asks the local Twilio
 * emulator what the platform's account owns (IncomingPhoneNumbers, Messaging Services and their
 * pools; fixture in local-stack/twilio/owned-inventory.ts), then public.register_sending_number
 * decides as the signed-in user.
 */
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withUser, type RunInScope } from "@/lib/db/scope";
import {
  adminSql,
  createDealership,
  createMember,
  recordRecentAuth,
  type TestMember,
} from "@/local-stack/test-fixtures";
import { testOwnedNumbers, testOwnedServices } from "@/local-stack/twilio/owned-inventory";
import { addSendingNumber, listSendingNumbers, removeSendingNumber } from "./sending-numbers";
import { testMessageSid } from "./testing/messaging-fixtures";

let sql: Sql;
let dealershipId: string;
let otherDealershipId: string;
let owner: TestMember;
let rep: TestMember;
let otherOwner: TestMember;
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string }) => e.code ?? String(e),
  );
const as =
  (m: TestMember, id: string): RunInScope =>
  (fn) =>
    withUser(m.claims, id, fn);
// Block 0 of the test fixture belongs to this file (other files use other blocks).
const owned = testOwnedNumbers(0);
const services = testOwnedServices(0);
const [serviceA, serviceB, serviceC] = [services[0]!, services[1]!, services[2]!];
const registeredTo = async (address: string) =>
  (
    await sql`select dealership_id from public.sending_numbers where phone_number = ${address} or messaging_service_sid = ${address}`
  )[0]?.dealership_id;

beforeAll(async () => {
  sql = adminSql();
  dealershipId = await createDealership(sql, "Numbers Motors");
  otherDealershipId = await createDealership(sql, "Other Motors");
  owner = await createMember(sql, dealershipId, "owner");
  rep = await createMember(sql, dealershipId, "rep");
  otherOwner = await createMember(sql, otherDealershipId, "owner");
  // Sending-number changes need a recent re-authentication (step-up), as a fresh sign-in gives.
  await recordRecentAuth(sql, owner);
  await recordRecentAuth(sql, otherOwner);
});

afterAll(async () => {
  await sql?.end();
});

describe("sending numbers", () => {
  it("owners add owned numbers (normalized to E.164) and owned Messaging Services; members list them", async () => {
    const local = `(312) 555-${owned[0]!.slice(-4)}`;
    await addSendingNumber(as(owner, dealershipId), { address: local, label: "Sales" });
    await addSendingNumber(as(owner, dealershipId), { address: serviceA.sid });
    const listed = await withUser(rep.claims, dealershipId, listSendingNumbers);
    expect(listed.map((n) => [n.phoneNumber, n.messagingServiceSid, n.label])).toEqual([
      [owned[0], null, "Sales"],
      [null, serviceA.sid, null],
    ]);
    const audit =
      await sql`select action, actor_user_id, metadata from public.audit_events where dealership_id = ${dealershipId} order by id`;
    expect(audit).toEqual([
      { action: "sending_number.added", actor_user_id: owner.userId, metadata: { kind: "phone_number" } },
      { action: "sending_number.added", actor_user_id: owner.userId, metadata: { kind: "messaging_service" } },
    ]);
  });

  it("refuses invalid numbers, duplicates, and reps", async () => {
    expect(await codeOf(addSendingNumber(as(owner, dealershipId), { address: "12" }))).toBe("invalid_input");
    const [existing] = await withUser(owner.claims, dealershipId, listSendingNumbers);
    expect(await codeOf(addSendingNumber(as(owner, dealershipId), { address: existing!.phoneNumber! }))).toBe(
      "conflict",
    );
    expect(await codeOf(addSendingNumber(as(otherOwner, otherDealershipId), { address: existing!.phoneNumber! }))).toBe(
      "conflict",
    );
    expect(await codeOf(addSendingNumber(as(rep, dealershipId), { address: owned[1]! }))).toBe("42501");
    expect(await codeOf(withUser(rep.claims, dealershipId, (scope) => removeSendingNumber(scope, existing!.id)))).toBe(
      "not_found",
    );
    await withUser(owner.claims, dealershipId, (scope) => removeSendingNumber(scope, existing!.id));
    expect(await withUser(owner.claims, dealershipId, listSendingNumbers)).toHaveLength(1);
  });
});

describe("only what the platform's Twilio account owns, never another dealership's", () => {
  it("a number the platform's Twilio account does not own is refused, and nothing is stored", async () => {
    const unowned = `+1312555${String(6000 + Math.floor(Math.random() * 900))}`;
    const err = await addSendingNumber(as(owner, dealershipId), { address: unowned }).catch(
      (e: { code: string; message: string }) => e,
    );
    expect(err).toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(/not a number of this platform's Twilio account/),
    });
    expect(await registeredTo(unowned)).toBeUndefined();
    // A partial match at Twilio (its PhoneNumber filter matches substrings) is not ownership.
    expect(await codeOf(addSendingNumber(as(owner, dealershipId), { address: `+1${owned[2]!.slice(-9)}` }))).toBe(
      "invalid_input",
    );
  });

  it("a Messaging Service the platform's account does not have is refused", async () => {
    const unknown = `MG${testMessageSid().slice(2)}`;
    expect(await codeOf(addSendingNumber(as(owner, dealershipId), { address: unknown }))).toBe("invalid_input");
    expect(await registeredTo(unknown)).toBeUndefined();
  });

  it("a number inside another dealership's Messaging Service is refused", async () => {
    await addSendingNumber(as(otherOwner, otherDealershipId), { address: serviceB.sid });
    const poolNumber = serviceB.phoneNumbers[0]!;
    const err = await addSendingNumber(as(owner, dealershipId), { address: poolNumber }).catch(
      (e: { code: string; message: string }) => e,
    );
    expect(err).toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/another dealership's Messaging Service/),
    });
    expect(await registeredTo(poolNumber)).toBeUndefined();
    // The service's own dealership may register its pool number directly.
    await addSendingNumber(as(otherOwner, otherDealershipId), { address: poolNumber });
    expect(await registeredTo(poolNumber)).toBe(otherDealershipId);
  });

  it("a Messaging Service whose pool holds another dealership's number is refused", async () => {
    await addSendingNumber(as(otherOwner, otherDealershipId), { address: serviceC.phoneNumbers[1]! });
    expect(await codeOf(addSendingNumber(as(owner, dealershipId), { address: serviceC.sid }))).toBe("conflict");
    expect(await registeredTo(serviceC.sid)).toBeUndefined();
  });
});
