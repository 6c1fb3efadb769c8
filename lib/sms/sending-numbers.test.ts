import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withUser } from "@/lib/db/with-user";
import { adminSql, createDealership, createMember, type TestMember } from "@/local-stack/test-fixtures";
import { addSendingNumber, listSendingNumbers, removeSendingNumber } from "./sending-numbers";
import { testMessageSid } from "./testing/messaging-fixtures";

let sql: Sql;
let dealershipId: string;
let owner: TestMember;
let rep: TestMember;
const codeOf = (p: Promise<unknown>) => p.then(() => "ok", (e: { code?: string }) => e.code ?? String(e));

beforeAll(async () => {
  sql = adminSql();
  dealershipId = await createDealership(sql, "Numbers Motors");
  owner = await createMember(sql, dealershipId, "owner");
  rep = await createMember(sql, dealershipId, "rep");
});

afterAll(async () => {
  await sql?.end();
});

describe("sending numbers", () => {
  it("owners add numbers (normalized to E.164) and Messaging Services; members list them", async () => {
    const local = `(312) 555-${String(Math.floor(Math.random() * 9000) + 1000)}`;
    const service = `MG${testMessageSid().slice(2)}`;
    await withUser(owner.claims, (tx) => addSendingNumber(tx, dealershipId, { address: local, label: "Sales" }));
    await withUser(owner.claims, (tx) => addSendingNumber(tx, dealershipId, { address: service }));
    const listed = await withUser(rep.claims, (tx) => listSendingNumbers(tx, dealershipId));
    expect(listed.map((n) => [n.phoneNumber, n.messagingServiceSid, n.label])).toEqual([
      [`+1312555${local.slice(-4)}`, null, "Sales"],
      [null, service, null],
    ]);
    const audit = await sql`select action from public.audit_events where dealership_id = ${dealershipId} order by id`;
    expect(audit.map((a) => a.action)).toEqual(["sending_number.added", "sending_number.added"]);
  });

  it("refuses invalid numbers, duplicates, and reps", async () => {
    expect(await codeOf(withUser(owner.claims, (tx) => addSendingNumber(tx, dealershipId, { address: "12" })))).toBe("invalid_input");
    const [existing] = await withUser(owner.claims, (tx) => listSendingNumbers(tx, dealershipId));
    expect(await codeOf(withUser(owner.claims, (tx) => addSendingNumber(tx, dealershipId, { address: existing!.phoneNumber! })))).toBe("conflict");
    expect(await codeOf(withUser(rep.claims, (tx) => addSendingNumber(tx, dealershipId, { address: "+13125550000" })))).toBe("42501");
    expect(await codeOf(withUser(rep.claims, (tx) => removeSendingNumber(tx, dealershipId, existing!.id)))).toBe("not_found");
    await withUser(owner.claims, (tx) => removeSendingNumber(tx, dealershipId, existing!.id));
    expect(await withUser(owner.claims, (tx) => listSendingNumbers(tx, dealershipId))).toHaveLength(1);
  });
});
