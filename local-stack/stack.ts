/**
 * The local stack: Postgres + Supabase bootstrap + migrations, the Auth API emulator and the
 * Twilio Messages API emulator, for one profile. Used by `npm run dev` and by every test run;
 * it refuses to run in production.
 */
import postgres from "postgres";
import { startAuthEmulator } from "./auth/server";
import { LOCAL_SECRETS, localAppEnv, type StackConfig } from "./config";
import { migrate } from "./postgres/migrate";
import { assertPortFree, startPostgres } from "./postgres/server";
import { startTwilioEmulator } from "./twilio/server";

export interface RunningStack {
  config: StackConfig;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Refuse to run any part of the local stack in a production process. */
export function assertNotProduction() {
  if (process.env.NODE_ENV === "production") {
    throw new Error("The local stack is for development and tests only; it refuses to start with NODE_ENV=production.");
  }
}

/** Start every local service of the profile and return the env the app needs to use them. */
export async function startLocalStack(
  config: StackConfig,
  log: (m: string) => void = console.log,
): Promise<RunningStack> {
  assertNotProduction();
  await assertPortFree(config.authPort, "Auth API emulator");
  await assertPortFree(config.twilioPort, "Twilio API emulator");
  const pg = await startPostgres(config, log);
  const stops: Array<() => Promise<void>> = [pg.stop];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((e) => log(`stop failed: ${String(e)}`));
  };
  try {
    const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
    try {
      await migrate(sql, log);
      if (config.seedDemo) {
        const { seedDemoData } = await import("./seed/demo");
        await seedDemoData(sql, config, log);
      }
    } finally {
      await sql.end();
    }
    const auth = await startAuthEmulator({
      port: config.authPort,
      databaseUrl: pg.url,
      stateDir: config.stateDir,
      anonKey: LOCAL_SECRETS.anonKey,
      serviceRoleKey: LOCAL_SECRETS.serviceRoleKey,
      siteUrl: localAppEnv(config).APP_BASE_URL!,
      log,
    });
    stops.push(auth.stop);
    const twilio = await startTwilioEmulator({
      port: config.twilioPort,
      accountSid: LOCAL_SECRETS.twilioAccountSid,
      authToken: LOCAL_SECRETS.twilioAuthToken,
      appBaseUrl: localAppEnv(config).APP_BASE_URL,
      log,
    });
    stops.push(twilio.stop);
  } catch (err) {
    await stopAll();
    throw err;
  }
  return { config, env: localAppEnv(config), stop: stopAll };
}
