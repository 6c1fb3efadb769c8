/**
 * Ports, folders and local-only secrets of the local stack, per profile.
 *
 * `dev` uses the Supabase CLI's ports so `supabase start` can stand in for it; `test` and `e2e`
 * get their own ports and throwaway data folders so a test run never touches the dev data.
 */
import path from "node:path";

export type StackProfile = "dev" | "test" | "e2e" | "bench";

export interface StackConfig {
  profile: StackProfile;
  /** Root folder of this profile's state (git-ignored). */
  stateDir: string;
  pgDataDir: string;
  pgPort: number;
  authPort: number;
  twilioPort: number;
  appPort: number;
  /** Wipe the database folder before starting (tests start from nothing). */
  fresh: boolean;
  /** Seed the demo dealerships after migrating. */
  seedDemo: boolean;
}

const ROOT = path.resolve(import.meta.dirname, "..");

// `test`, `e2e` and `bench` stay below Linux's ephemeral range (32768-60999 by default), even with
// a LOCAL_STACK_PORT_OFFSET of a few thousand: a port inside it can be held for a moment by any
// outgoing connection's source port (one of the many connections a test run opens), and then the
// next stack refuses to start with "already in use" (seen once in CI on the e2e Twilio port).
const PORTS: Record<StackProfile, [pg: number, auth: number, twilio: number, app: number]> = {
  dev: [54322, 54321, 54330, 3000],
  test: [25322, 25321, 25330, 3100],
  e2e: [26322, 26321, 26330, 3200],
  bench: [27322, 27321, 27330, 3300],
};

/** The configuration of one local-stack profile. */
export function stackConfig(profile: StackProfile): StackConfig {
  // Lets two checkouts run their test suites side by side (e.g. a CI dry run beside development).
  const offset = profile === "dev" ? 0 : Number(process.env.LOCAL_STACK_PORT_OFFSET ?? 0) || 0;
  const [pgPort, authPort, twilioPort, appPort] = PORTS[profile].map((p) => p + offset) as [
    number,
    number,
    number,
    number,
  ];
  // The offset names the folder too: a fresh profile wipes its folder, which must never be the
  // one a side-by-side run (another offset) is using.
  const stateDir = path.join(ROOT, ".local-stack", offset ? `${profile}-${offset}` : profile);
  return {
    profile,
    stateDir,
    pgDataDir: path.join(stateDir, "pg"),
    pgPort,
    authPort,
    twilioPort,
    appPort,
    fresh: profile !== "dev",
    seedDemo: profile !== "test",
  };
}

/**
 * Secrets that are public on purpose: they only ever protect data on a developer's machine.
 * The app's env validation refuses them (and every loopback URL) in production unless
 * LOCAL_STACK=1 says this is a local production build.
 */
export const LOCAL_SECRETS = {
  anonKey: "sb_publishable_local_stack_anon_key_not_for_production",
  serviceRoleKey: "sb_secret_local_stack_service_role_key_not_for_production",
  // base64 of 32 bytes each; generated once for the local stack (never used in production).
  piiKeys: "local1:jb8qSQXY7zDSU0srKI+ceCMpriYrb3Dkw0/oAhLSZwM=",
  blindIndexKey: "ukZKA8IfrmBCu6tv5bP95jNRAx4AJVV2FIQsnr1MWbM=",
  twilioAccountSid: "AC00000000000000000000000000000000",
  twilioAuthToken: "local_stack_twilio_auth_token_000",
  demoPassword: "northside-demo-password",
  // The demo operator's authenticator key (base32; operators need a second factor). Add it to an
  // authenticator app, or print the current code with `npm run demo:operator-code`.
  demoOperatorTotpSecret: "7YHMEPGVVA7W2OP4EZPGA7VYBIWLLKL7",
} as const;

/** The environment the app needs to run against this profile's stack. */
export function localAppEnv(config: StackConfig): Record<string, string> {
  return {
    LOCAL_STACK: "1",
    DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${config.pgPort}/postgres`,
    SUPABASE_URL: `http://127.0.0.1:${config.authPort}`,
    SUPABASE_ANON_KEY: LOCAL_SECRETS.anonKey,
    // Transitional aliases for the auth emulator's tests; the app reads only SUPABASE_URL/ANON_KEY.
    NEXT_PUBLIC_SUPABASE_URL: `http://127.0.0.1:${config.authPort}`,
    NEXT_PUBLIC_SUPABASE_ANON_KEY: LOCAL_SECRETS.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: LOCAL_SECRETS.serviceRoleKey,
    PII_ENCRYPTION_KEYS: LOCAL_SECRETS.piiKeys,
    PII_BLIND_INDEX_KEY: LOCAL_SECRETS.blindIndexKey,
    APP_BASE_URL: `http://localhost:${config.appPort}`,
    TWILIO_ACCOUNT_SID: LOCAL_SECRETS.twilioAccountSid,
    TWILIO_AUTH_TOKEN: LOCAL_SECRETS.twilioAuthToken,
    TWILIO_API_BASE_URL: `http://127.0.0.1:${config.twilioPort}`,
  };
}
