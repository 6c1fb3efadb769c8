import { describe, expect, it, vi } from "vitest";

// A production process: no LOCAL_STACK, no emulator URL.
vi.mock("@/lib/env/server-env", () => ({ isLocalStack: () => false, serverEnv: () => ({}) }));
const emulator = vi.hoisted(() => ({ emulatorConversation: vi.fn(), emulatorSendInbound: vi.fn() }));
vi.mock("@/local-stack/twilio/emulator-client", () => emulator);

const { loadTestPhoneAction, sendFromTestPhoneAction } = await import("./actions");

describe("the test phone outside local mode", () => {
  it("answers not found and never reaches the emulator", async () => {
    expect(await loadTestPhoneAction("+13125550101")).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await sendFromTestPhoneAction({ from: "+13125550101", to: "+13125550000", body: "hi" })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(emulator.emulatorConversation).not.toHaveBeenCalled();
    expect(emulator.emulatorSendInbound).not.toHaveBeenCalled();
  });
});
