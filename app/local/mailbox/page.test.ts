import { describe, expect, it, vi } from "vitest";

// Production: local mode off. The page must answer 404 without asking the emulator anything.
vi.mock("@/lib/env/server-env", async (original) => {
  const real = await original<typeof import("@/lib/env/server-env")>();
  return { ...real, isLocalStack: () => false };
});
const mailbox = vi.hoisted(() => ({ emulatorMailbox: vi.fn(async () => []) }));
vi.mock("@/local-stack/auth/mailbox-client", () => mailbox);

const { default: MailboxPage } = await import("./page");

describe("the local mailbox outside local mode", () => {
  it("is not found, and never reads the mailbox", async () => {
    await expect(MailboxPage()).rejects.toMatchObject({ digest: expect.stringContaining("404") });
    expect(mailbox.emulatorMailbox).not.toHaveBeenCalled();
  });
});
