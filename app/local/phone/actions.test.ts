import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Sql } from "postgres";
import { can } from "@/lib/auth/permissions";
import { withUser } from "@/lib/db/scope";
import type { UserContext } from "@/lib/server/user-context";
import { adminSql, createDealership, createMember, type TestMember } from "@/local-stack/test-fixtures";

// Local mode is the test stack's real environment; one test flips it off to play production.
const mode = vi.hoisted(() => ({ local: true }));
vi.mock("@/lib/env/server-env", async (original) => {
  const real = await original<typeof import("@/lib/env/server-env")>();
  return { ...real, isLocalStack: () => mode.local && real.isLocalStack() };
});
// The real emulator client, watched, so a refusal can be shown to stop before reaching it.
const emulator = vi.hoisted(() => ({ emulatorConversation: vi.fn(), emulatorSendInbound: vi.fn() }));
vi.mock("@/local-stack/twilio/emulator-client", async (original) => {
  const real = await original<typeof import("@/local-stack/twilio/emulator-client")>();
  emulator.emulatorConversation.mockImplementation(real.emulatorConversation);
  emulator.emulatorSendInbound.mockImplementation(real.emulatorSendInbound);
  return emulator;
});
// Who is signed in: nobody, or a real member whose queries run through the real withUser.
const signedIn = vi.hoisted(() => ({ ctx: null as UserContext | null }));
vi.mock("@/lib/server/user-context", () => ({
  getUserContext: async () => signedIn.ctx,
  getUserState: async () => (signedIn.ctx ? { kind: "member", ctx: signedIn.ctx } : { kind: "signed_out" }),
}));

const { loadTestPhoneAction, sendFromTestPhoneAction } = await import("./actions");

let sql: Sql;
let member: TestMember;
let dealershipId: string;
const OWN_NUMBER = `+1312555${String(Math.floor(Math.random() * 9000) + 1000)}`;
const OTHER_NUMBER = `+1773555${String(Math.floor(Math.random() * 9000) + 1000)}`;

function contextOf(m: TestMember, id: string): UserContext {
  const active = {
    dealershipId: id,
    dealershipName: "Phone Motors",
    role: "owner",
    region: "US",
  } as UserContext["active"];
  return {
    claims: m.claims,
    memberships: [active],
    active,
    can: (p) => can(active, p),
    run: (fn) => withUser(m.claims, id, fn),

    security: { mfaEnrolled: false, recentAuth: false },
    mfaSetupRequired: false,
  };
}

beforeAll(async () => {
  sql = adminSql();
  dealershipId = await createDealership(sql, "Phone Motors");
  const other = await createDealership(sql, "Other Phone Motors");
  await sql`insert into public.sending_numbers (dealership_id, phone_number) values (${dealershipId}, ${OWN_NUMBER}), (${other}, ${OTHER_NUMBER})`;
  member = await createMember(sql, dealershipId, "owner");
});
afterAll(async () => {
  await sql.end();
});
beforeEach(() => {
  mode.local = true;
  signedIn.ctx = null;
  emulator.emulatorConversation.mockClear();
  emulator.emulatorSendInbound.mockClear();
});

describe("the test phone", () => {
  it("answers not found outside local mode and never reaches the emulator", async () => {
    mode.local = false;
    signedIn.ctx = contextOf(member, dealershipId);
    expect(await loadTestPhoneAction("+13125550101")).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await sendFromTestPhoneAction({ from: "+13125550101", to: OWN_NUMBER, body: "hi" })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(emulator.emulatorConversation).not.toHaveBeenCalled();
    expect(emulator.emulatorSendInbound).not.toHaveBeenCalled();
  });

  it("refuses a signed-out caller in local mode: no message bodies read, no text sent", async () => {
    expect(await loadTestPhoneAction("+13125550101")).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    expect(await sendFromTestPhoneAction({ from: "+13125550101", to: OWN_NUMBER, body: "START" })).toMatchObject({
      ok: false,
      error: { code: "unauthenticated" },
    });
    expect(emulator.emulatorConversation).not.toHaveBeenCalled();
    expect(emulator.emulatorSendInbound).not.toHaveBeenCalled();
  });

  it("works for a signed-in member, who may only text their own dealership's numbers", async () => {
    signedIn.ctx = contextOf(member, dealershipId);
    expect(await loadTestPhoneAction("+13125550101")).toMatchObject({ ok: true, data: { number: "+13125550101" } });
    expect(await sendFromTestPhoneAction({ from: "+13125550101", to: OTHER_NUMBER, body: "START" })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    expect(emulator.emulatorSendInbound).not.toHaveBeenCalled();
  });
});
