/**
 * Sending-number ownership held by the database itself, acting as the `authenticated` role the
 * way a PostgREST caller would (no app code in between): no direct inserts, registration only of
 * what the server recorded as the platform's Twilio inventory in the last 10 minutes, never a
 * number inside another dealership's Messaging Service; and the twilio_inventory role that
 * records the inventory can do nothing else.
 */
import type { Sql, TransactionSql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withAccount, withService } from "@/lib/db/scope";
import {
  adminSql,
  createDealership,
  createMember,
  recordRecentAuth,
  type TestMember,
} from "@/local-stack/test-fixtures";
import { testOwnedNumbers, testOwnedServices } from "@/local-stack/twilio/owned-inventory";

let sql: Sql;
let dealershipA: string;
let dealershipB: string;
let ownerA: TestMember;
let repA: TestMember;
let ownerB: TestMember;
// Block 1 of the emulator fixture belongs to this file.
const numbers = testOwnedNumbers(1);
const services = testOwnedServices(1);

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string }) => e.code ?? String(e),
  );
// Through the app's own service path (lib/db/scope.ts), as lib/sms/twilio-inventory-db.ts records it.
const asInventory = <T>(fn: (tx: TransactionSql) => Promise<T>) =>
  withService("twilio_inventory", ({ sql: tx }) => fn(tx));
const register = (m: TestMember, dealershipId: string, phone: string | null, service: string | null = null) =>
  withAccount(
    m.claims,
    ({ sql: tx }) =>
      tx<{ id: string }[]>`select public.register_sending_number(${dealershipId}, ${phone}, ${service}, 'x') as id`,
  );
const registeredTo = async (address: string) =>
  (
    await sql`select dealership_id from public.sending_numbers where phone_number = ${address} or messaging_service_sid = ${address}`
  )[0]?.dealership_id;

beforeAll(async () => {
  sql = adminSql();
  dealershipA = await createDealership(sql, "Owned A");
  dealershipB = await createDealership(sql, "Owned B");
  ownerA = await createMember(sql, dealershipA, "owner");
  repA = await createMember(sql, dealershipA, "rep");
  ownerB = await createMember(sql, dealershipB, "owner");
  // Sending-number changes need a recent re-authentication (step-up), as a fresh sign-in gives.
  await recordRecentAuth(sql, ownerA);
  await recordRecentAuth(sql, ownerB);
  // What the server would record after asking Twilio.
  await asInventory(async (tx) => {
    // A service's pool numbers are the account's incoming numbers too.
    for (const n of [...numbers, ...services.flatMap((s) => s.phoneNumbers)])
      await tx`select private.record_twilio_phone_number(${n})`;
    for (const s of services)
      await tx`select private.record_twilio_messaging_service(${s.sid}, ${s.phoneNumbers}::text[])`;
  });
});

afterAll(async () => {
  await sql?.end();
});

describe("as the authenticated role, in SQL", () => {
  it("an owner cannot insert a sending number directly, not even an owned one", async () => {
    const q = withAccount(
      ownerA.claims,
      ({ sql: tx }) =>
        tx`insert into public.sending_numbers (dealership_id, phone_number) values (${dealershipA}, ${numbers[0]!})`,
    );
    expect(await codeOf(q)).toBe("42501");
    expect(await registeredTo(numbers[0]!)).toBeUndefined();
  });

  it("register_sending_number refuses a number or service the platform's inventory does not hold (RL020)", async () => {
    expect(await codeOf(register(ownerA, dealershipA, "+13125556999"))).toBe("RL020");
    expect(await codeOf(register(ownerA, dealershipA, null, `MG${"0".repeat(32)}`))).toBe("RL020");
    expect(await registeredTo("+13125556999")).toBeUndefined();
  });

  it("an inventory reading older than 10 minutes no longer counts", async () => {
    await sql`update private.twilio_phone_numbers set verified_at = now() - interval '11 minutes' where phone_number = ${numbers[1]!}`;
    expect(await codeOf(register(ownerA, dealershipA, numbers[1]!))).toBe("RL020");
  });

  it("registers an owned number for an owner, with its audit event, and refuses reps and other dealerships' owners", async () => {
    expect(await codeOf(register(repA, dealershipA, numbers[2]!))).toBe("42501");
    expect(await codeOf(register(ownerB, dealershipA, numbers[2]!))).toBe("42501");
    const [row] = await register(ownerA, dealershipA, numbers[2]!);
    expect(await registeredTo(numbers[2]!)).toBe(dealershipA);
    const [audit] = await sql`select action, actor_user_id from public.audit_events where target_id = ${row!.id}`;
    expect(audit).toEqual({ action: "sending_number.added", actor_user_id: ownerA.userId });
    expect(await codeOf(register(ownerB, dealershipB, numbers[2]!))).toBe("23505");
  });

  it("refuses a number inside another dealership's Messaging Service, and a service holding another dealership's number (RL021)", async () => {
    const [s0, s1] = [services[0]!, services[1]!];
    await register(ownerB, dealershipB, null, s0.sid);
    expect(await codeOf(register(ownerA, dealershipA, s0.phoneNumbers[0]!))).toBe("RL021");
    expect(await registeredTo(s0.phoneNumbers[0]!)).toBeUndefined();
    await register(ownerA, dealershipA, s1.phoneNumbers[0]!);
    expect(await codeOf(register(ownerB, dealershipB, null, s1.sid))).toBe("RL021");
    expect(await registeredTo(s1.sid)).toBeUndefined();
  });

  it("cannot write or read the inventory, nor call the inventory functions", async () => {
    for (const stmt of [
      `select private.record_twilio_phone_number('+13125556998')`,
      `select private.record_twilio_messaging_service('MG${"1".repeat(32)}', array['+13125556998'])`,
      "select * from private.registered_messaging_service_sids()",
      "select * from private.twilio_phone_numbers",
      "insert into private.twilio_phone_numbers values ('+13125556998', now())",
    ]) {
      expect({ stmt, code: await codeOf(withAccount(ownerA.claims, ({ sql: tx }) => tx.unsafe(stmt))) }).toEqual({
        stmt,
        code: "42501",
      });
    }
  });

  it("anon cannot register", async () => {
    const q = sql.begin(async (tx) => {
      await tx`select set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role":"anon"}', true)`;
      return tx`select public.register_sending_number(${dealershipA}, ${numbers[3]!}, null, null)`;
    });
    expect(await codeOf(q)).toBe("42501");
  });
});

describe("the twilio_inventory role", () => {
  it("is NOLOGIN, not reachable from the API gateway's role, and holds no table privileges", async () => {
    const [role] =
      await sql`select rolcanlogin, rolbypassrls, rolsuper from pg_roles where rolname = 'twilio_inventory'`;
    expect(role).toEqual({ rolcanlogin: false, rolbypassrls: false, rolsuper: false });
    const [viaAuthenticator] = await sql`select pg_has_role('authenticator', 'twilio_inventory', 'member') as m`;
    expect(viaAuthenticator!.m).toBe(false);
    expect(
      await sql`select table_name from information_schema.role_table_grants where grantee = 'twilio_inventory'`,
    ).toEqual([]);
  });

  it("may execute exactly its three functions", async () => {
    const fns = await sql`
      select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname in ('public', 'private') and has_function_privilege('twilio_inventory', p.oid, 'execute')
        and p.prorettype <> 'trigger'::regtype
      order by 1`;
    expect(fns.map((f) => f.proname)).toEqual([
      "record_twilio_messaging_service",
      "record_twilio_phone_number",
      "registered_messaging_service_sids",
    ]);
  });

  it("cannot touch tenant data or register numbers", async () => {
    for (const stmt of [
      "select * from public.sending_numbers",
      "select * from private.twilio_phone_numbers",
      `insert into public.sending_numbers (dealership_id, phone_number) values ('${dealershipA}', '${numbers[4]}')`,
      `select public.register_sending_number('${dealershipA}', '${numbers[4]}', null, null)`,
    ]) {
      expect({ stmt, code: await codeOf(asInventory((tx) => tx.unsafe(stmt))) }).toEqual({ stmt, code: "42501" });
    }
  });
});
