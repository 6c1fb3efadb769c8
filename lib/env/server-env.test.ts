import { describe, expect, it } from "vitest";
import { LOCAL_SECRETS, localAppEnv, stackConfig } from "@/local-stack/config";
import { generateKey } from "@/lib/crypto/keyring";
import { isLocalHost, isLoopbackHost } from "./local-hosts";
import {
  PUBLISHED_KEY_FINGERPRINTS,
  PUBLISHED_TEXT_SECRET_FINGERPRINTS,
  keyFingerprint,
  textSecretFingerprint,
} from "./published-local-secrets";
import { parseServerEnv } from "./server-env";

const local = localAppEnv(stackConfig("test"));
const production = {
  NODE_ENV: "production",
  DATABASE_URL: "postgres://app:secret@db.example.supabase.co:5432/postgres",
  SUPABASE_URL: "https://abcd.supabase.co",
  SUPABASE_ANON_KEY: "sb_publishable_0123456789abcdefghij",
  SUPABASE_SERVICE_ROLE_KEY: "sb_secret_0123456789abcdefghijklmn",
  PII_ENCRYPTION_KEYS: `k1:${generateKey()}`,
  PII_BLIND_INDEX_KEY: generateKey(),
  APP_BASE_URL: "https://app.refireleads.com",
  TWILIO_ACCOUNT_SID: `AC${"a".repeat(32)}`,
  TWILIO_AUTH_TOKEN: "0123456789abcdef0123",
};

/** The error message parseServerEnv throws, or "" when it accepts. */
function refusal(env: Record<string, string | undefined>): string {
  try {
    parseServerEnv(env);
    return "";
  } catch (e) {
    return (e as Error).message;
  }
}

const LOCAL_PII_KEY = LOCAL_SECRETS.piiKeys.split(":")[1]!;

describe("parseServerEnv", () => {
  it("accepts the local stack's environment", () => {
    expect(parseServerEnv({ ...local, NODE_ENV: "development" }).LOCAL_STACK).toBe("1");
    // A local production build (next start in e2e) is local mode too.
    expect(parseServerEnv({ ...local, NODE_ENV: "production" }).LOCAL_STACK).toBe("1");
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
    const err = refusal({ ...local, LOCAL_STACK: undefined, NODE_ENV: "production" });
    expect(err).toMatch(/SUPABASE_URL: points at a local emulator/);
    expect(err).toMatch(/APP_BASE_URL/);
    expect(err).toMatch(/TWILIO_API_BASE_URL/);
    expect(err).toMatch(/SUPABASE_ANON_KEY: is a local-stack key/);
  });

  it.each([
    ["SUPABASE_ANON_KEY", LOCAL_SECRETS.anonKey],
    ["SUPABASE_ANON_KEY", ` ${LOCAL_SECRETS.anonKey}\n`],
    ["SUPABASE_SERVICE_ROLE_KEY", LOCAL_SECRETS.serviceRoleKey],
    ["TWILIO_AUTH_TOKEN", LOCAL_SECRETS.twilioAuthToken],
    ["TWILIO_ACCOUNT_SID", LOCAL_SECRETS.twilioAccountSid],
    ["PII_ENCRYPTION_KEYS", LOCAL_SECRETS.piiKeys],
    // The published key under another id, and as an older (inactive) key of the ring.
    ["PII_ENCRYPTION_KEYS", `prod1:${LOCAL_PII_KEY}`],
    ["PII_ENCRYPTION_KEYS", `k2:${generateKey()},k1:${LOCAL_PII_KEY}`],
    ["PII_ENCRYPTION_KEYS", `k1:${LOCAL_PII_KEY.replace(/=+$/, "")}`],
    ["PII_BLIND_INDEX_KEY", LOCAL_SECRETS.blindIndexKey],
  ])("refuses the published local secret in %s (%#) in production", (key, value) => {
    expect(refusal({ ...production, [key]: value })).toMatch(new RegExp(`${key}: (is a|contains a) local-stack key`));
  });

  it.each([
    "http://0.0.0.0",
    "http://0.0.0.0:54321",
    "https://0",
    "https://[::]",
    "https://[::1]",
    "https://[0:0:0:0:0:0:0:1]",
    "https://[::ffff:127.0.0.1]",
    "https://[::ffff:7f00:1]",
    "https://[::127.0.0.1]",
    "https://[::ffff:0.0.0.0]",
    "https://127.0.0.1",
    "https://127.1",
    "https://127.255.255.254",
    "https://0x7f.0.0.1",
    "https://2130706433",
    "https://localhost",
    "https://LOCALHOST",
    "https://localhost.",
    "https://localhost..",
    "https://auth.localhost",
    "https://auth.localhost.",
    "https://169.254.169.254",
    "https://[fe80::1]",
  ])("refuses SUPABASE_URL and APP_BASE_URL %s in production", (url) => {
    expect(refusal({ ...production, SUPABASE_URL: url })).toMatch(/SUPABASE_URL: points at a local emulator/);
    expect(refusal({ ...production, APP_BASE_URL: url })).toMatch(/APP_BASE_URL: points at a local emulator/);
  });

  it.each(["http://abcd.supabase.co", "http://app.refireleads.com"])(
    "refuses plain http to a public host (%s) in production",
    (url) => {
      expect(refusal({ ...production, SUPABASE_URL: url })).toMatch(/SUPABASE_URL: must be https/);
      expect(refusal({ ...production, APP_BASE_URL: url })).toMatch(/APP_BASE_URL: must be https/);
    },
  );

  it.each([
    ["APP_BASE_URL", "https://app.refireleads.com"],
    ["APP_BASE_URL", "http://0.0.0.0:3000"],
    ["APP_BASE_URL", "http://[::]:3000"],
    ["APP_BASE_URL", "http://192.168.1.20:3000"],
    ["SUPABASE_URL", "https://abcd.supabase.co"],
    ["TWILIO_API_BASE_URL", "https://api.twilio.com"],
    ["DATABASE_URL", "postgres://postgres:postgres@db.example.supabase.co:5432/postgres"],
  ])("local mode (LOCAL_STACK=1) refuses a non-loopback %s = %s", (key, value) => {
    for (const NODE_ENV of ["development", "production"]) {
      expect(refusal({ ...local, NODE_ENV, [key]: value })).toMatch(new RegExp(`${key}: must be a loopback address`));
    }
  });

  it("never echoes secret values in its messages", () => {
    const bad = { ...production, PII_ENCRYPTION_KEYS: "k1:c2hvcnQ=", TWILIO_AUTH_TOKEN: "short" };
    const err = refusal(bad);
    expect(err).not.toBe("");
    expect(err).not.toContain("c2hvcnQ=");
    expect(err).not.toContain("short");
    const published = refusal({
      ...production,
      PII_BLIND_INDEX_KEY: LOCAL_SECRETS.blindIndexKey,
      SUPABASE_ANON_KEY: LOCAL_SECRETS.anonKey,
    });
    expect(published).not.toContain(LOCAL_SECRETS.blindIndexKey);
    expect(published).not.toContain(LOCAL_SECRETS.anonKey);
  });
});

describe("the published local secrets' fingerprints", () => {
  it("match local-stack/config.ts exactly (lib/env may not import local-stack)", () => {
    const text = [
      LOCAL_SECRETS.anonKey,
      LOCAL_SECRETS.serviceRoleKey,
      LOCAL_SECRETS.twilioAuthToken,
      LOCAL_SECRETS.twilioAccountSid,
    ];
    expect(new Set(text.map(textSecretFingerprint))).toEqual(PUBLISHED_TEXT_SECRET_FINGERPRINTS);
    const keys = [...LOCAL_SECRETS.piiKeys.split(",").map((e) => e.split(":")[1]!), LOCAL_SECRETS.blindIndexKey];
    expect(new Set(keys.map((k) => keyFingerprint(Buffer.from(k, "base64"))))).toEqual(PUBLISHED_KEY_FINGERPRINTS);
  });
});

describe("host classification", () => {
  it.each(["localhost", "127.0.0.1", "[::1]", "[::ffff:7f00:1]", "app.localhost"])("%s is loopback", (h) => {
    expect(isLoopbackHost(h)).toBe(true);
    expect(isLocalHost(h)).toBe(true);
  });
  it.each(["0.0.0.0", "[::]"])("%s is local but not a loopback address to serve on", (h) => {
    expect(isLocalHost(h)).toBe(true);
    expect(isLoopbackHost(h)).toBe(false);
  });
  it.each(["abcd.supabase.co", "8.8.8.8", "[2001:db8::1]", "[::ffff:808:808]", "localhost.example.com", "10.0.0.1"])(
    "%s is not local",
    (h) => {
      expect(isLocalHost(h)).toBe(false);
      expect(isLoopbackHost(h)).toBe(false);
    },
  );
});
