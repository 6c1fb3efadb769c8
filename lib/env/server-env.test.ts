import { describe, expect, it } from "vitest";
import { localAppEnv, stackConfig } from "@/local-stack/config";
import { generateKey } from "@/lib/crypto/keyring";
import { parseServerEnv } from "./server-env";

const local = localAppEnv(stackConfig("test"));
const production = {
  NODE_ENV: "production",
  DATABASE_URL: "postgres://app:secret@db.example.supabase.co:5432/postgres",
  SUPABASE_URL: "https://abcd.supabase.co",
  SUPABASE_ANON_KEY: "sb_publishable_0123456789abcdefghij",
  PII_ENCRYPTION_KEYS: `k1:${generateKey()}`,
  PII_BLIND_INDEX_KEY: generateKey(),
  APP_BASE_URL: "https://app.refireleads.com",
  TWILIO_ACCOUNT_SID: `AC${"a".repeat(32)}`,
  TWILIO_AUTH_TOKEN: "0123456789abcdef0123",
};

describe("parseServerEnv", () => {
  it("accepts the local stack's environment", () => {
    expect(parseServerEnv({ ...local, NODE_ENV: "development" }).LOCAL_STACK).toBe("1");
  });

  it("accepts a complete production environment", () => {
    expect(parseServerEnv(production).APP_BASE_URL).toBe("https://app.refireleads.com");
  });

  it.each(Object.keys(production).filter((k) => k !== "NODE_ENV"))("names a missing %s", (key) => {
    const env: Record<string, string> = { ...production };
    delete env[key];
    expect(() => parseServerEnv(env)).toThrow(new RegExp(`${key}: is missing`));
  });

  it("refuses loopback emulators and local keys in production", () => {
    const withoutFlag: Record<string, string | undefined> = { ...local, LOCAL_STACK: undefined };
    const err = (() => {
      try {
        parseServerEnv({ ...withoutFlag, NODE_ENV: "production" });
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(err).toMatch(/SUPABASE_URL: points at a local emulator/);
    expect(err).toMatch(/APP_BASE_URL/);
    expect(err).toMatch(/TWILIO_API_BASE_URL/);
    expect(err).toMatch(/local-stack key/);
  });

  it("never echoes secret values in its messages", () => {
    const bad = { ...production, PII_ENCRYPTION_KEYS: "k1:c2hvcnQ=", TWILIO_AUTH_TOKEN: "short" };
    expect(() => parseServerEnv(bad)).toThrow();
    try {
      parseServerEnv(bad);
    } catch (e) {
      expect((e as Error).message).not.toContain("c2hvcnQ=");
      expect((e as Error).message).not.toContain("short");
    }
  });
});
