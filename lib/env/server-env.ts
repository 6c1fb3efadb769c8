/**
 * The server's environment, parsed once with zod. In production a missing or malformed variable
 * stops the app at start (instrumentation.ts) with a message naming it, and the local stack's
 * loopback emulators and public local keys are refused unless LOCAL_STACK=1 marks a local build.
 */
import { z } from "zod";
import { parseKeyring, type Keyring } from "@/lib/crypto/keyring";
import { isLocalHost, isLoopbackHost } from "./local-hosts";
import { isPublishedKey, isPublishedTextSecret } from "./published-local-secrets";

const LOCAL_KEY_MARKER = "local_stack";

const hostOf = (url: string) => new URL(url).hostname;

const serverEnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    LOCAL_STACK: z.enum(["1"]).optional(),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    SUPABASE_URL: z.url({ protocol: /^https?$/ }),
    SUPABASE_ANON_KEY: z.string().min(20),
    /** The service-role key, used only for Auth's admin API (sending invitations); never for data. */
    SUPABASE_SERVICE_ROLE_KEY: z.string().min(20),
    /** A session unused this long ends (default 12 hours). */
    SESSION_IDLE_TIMEOUT_HOURS: z.coerce
      .number()
      .min(0.05)
      .max(24 * 30)
      .default(12),
    /** No session lives longer than this, however active (default 7 days). */
    SESSION_MAX_AGE_HOURS: z.coerce
      .number()
      .min(0.05)
      .max(24 * 90)
      .default(168),
    PII_ENCRYPTION_KEYS: z.string().min(1),
    PII_BLIND_INDEX_KEY: z.string().min(1),
    APP_BASE_URL: z.url({ protocol: /^https?$/ }),
    TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-f]{32}$/, "must look like AC followed by 32 hex digits"),
    TWILIO_AUTH_TOKEN: z.string().min(16),
    TWILIO_API_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Proxies in front of the app that append to X-Forwarded-For (1 on Vercel or behind one nginx). */
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(1),
    /** Bearer secret of the campaign cron route (app/api/cron/campaigns); unset, the route refuses every call. */
    CRON_SECRET: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)").optional(),
    /** Reply triage's optional LLM (lib/triage/llm-triage.ts): off unless a provider is set. */
    TRIAGE_LLM_PROVIDER: z.enum(["gateway"]).optional(),
    TRIAGE_LLM_API_KEY: z.string().min(1).optional(),
    TRIAGE_LLM_MODEL: z.string().min(1).optional(),
    TRIAGE_LLM_TIMEOUT_MS: z.coerce.number().int().min(200).max(15_000).optional(),
    /** Optional error monitoring (lib/observability/error-monitoring.ts): off unless a Sentry DSN is set. */
    SENTRY_DSN: z
      .url({ protocol: /^https?$/ })
      .refine((dsn) => new URL(dsn).username !== "" && /^\/(.*\/)?\d+$/.test(new URL(dsn).pathname), {
        message: "must be a Sentry DSN (https://<public key>@<host>/<project id>)",
      })
      .optional(),
    /** The environment name Sentry files events under (default: NODE_ENV). */
    SENTRY_ENVIRONMENT: z.string().min(1).max(64).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.TRIAGE_LLM_PROVIDER && !env.TRIAGE_LLM_API_KEY) {
      ctx.addIssue({ code: "custom", path: ["TRIAGE_LLM_API_KEY"], message: "is required with TRIAGE_LLM_PROVIDER" });
    }
    try {
      parseKeyring(env.PII_ENCRYPTION_KEYS, env.PII_BLIND_INDEX_KEY);
    } catch (err) {
      ctx.addIssue({ code: "custom", path: ["PII_ENCRYPTION_KEYS"], message: (err as Error).message });
    }
    if (env.LOCAL_STACK) {
      refuseLocalModeOffLoopback(env, ctx);
      return;
    }
    if (env.NODE_ENV !== "production") return;
    refuseLocalSettingsInProduction(env, ctx);
  });

export type ServerEnv = z.infer<typeof serverEnvSchema>;
type RawEnv = ServerEnv;
type Ctx = z.RefinementCtx;

/**
 * Local mode (LOCAL_STACK=1) runs with published secrets, so it may only ever serve and reach
 * this machine: a deployment that sets LOCAL_STACK=1 by mistake refuses to start instead of
 * skipping the production checks.
 */
function refuseLocalModeOffLoopback(env: RawEnv, ctx: Ctx): void {
  const urls = {
    APP_BASE_URL: env.APP_BASE_URL,
    SUPABASE_URL: env.SUPABASE_URL,
    TWILIO_API_BASE_URL: env.TWILIO_API_BASE_URL,
    DATABASE_URL: env.DATABASE_URL,
  };
  for (const [key, url] of Object.entries(urls)) {
    if (url !== undefined && !isLoopbackHost(hostOf(url))) {
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: "must be a loopback address (localhost, 127.0.0.1, [::1]) when LOCAL_STACK=1",
      });
    }
  }
}

/** Production: no loopback or unspecified hosts, https only, and none of the published local secrets. */
function refuseLocalSettingsInProduction(env: RawEnv, ctx: Ctx): void {
  // A production Postgres may sit on loopback (a pooler sidecar); the auth API and the public URL may not.
  for (const key of ["SUPABASE_URL", "APP_BASE_URL"] as const) {
    const url = new URL(env[key]);
    if (isLocalHost(url.hostname)) {
      ctx.addIssue({ code: "custom", path: [key], message: "points at a local emulator; not allowed in production" });
    } else if (url.protocol !== "https:") {
      ctx.addIssue({ code: "custom", path: [key], message: "must be https in production" });
    }
  }
  if (env.TWILIO_API_BASE_URL) {
    ctx.addIssue({ code: "custom", path: ["TWILIO_API_BASE_URL"], message: "is for the local Twilio emulator only" });
  }
  if (env.SENTRY_DSN && new URL(env.SENTRY_DSN).protocol !== "https:") {
    ctx.addIssue({ code: "custom", path: ["SENTRY_DSN"], message: "must be https in production" });
  }
  for (const key of [
    "SUPABASE_ANON_KEY",
    "SUPABASE_SERVICE_ROLE_KEY",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_ACCOUNT_SID",
  ] as const) {
    if (isPublishedTextSecret(env[key]) || env[key].includes(LOCAL_KEY_MARKER)) {
      ctx.addIssue({ code: "custom", path: [key], message: "is a local-stack key; not allowed in production" });
    }
  }
  let keyring: Keyring;
  try {
    keyring = parseKeyring(env.PII_ENCRYPTION_KEYS, env.PII_BLIND_INDEX_KEY);
  } catch {
    return; // already reported
  }
  if ([...keyring.keys.values()].some(isPublishedKey)) {
    ctx.addIssue({
      code: "custom",
      path: ["PII_ENCRYPTION_KEYS"],
      message: "contains a local-stack key; not allowed in production",
    });
  }
  if (isPublishedKey(keyring.blindIndexKey)) {
    ctx.addIssue({
      code: "custom",
      path: ["PII_BLIND_INDEX_KEY"],
      message: "is a local-stack key; not allowed in production",
    });
  }
}

/** Thrown when the environment is unusable; the message lists every bad variable by name. */
export class EnvError extends Error {}

/** Parse an environment; throws EnvError naming each missing or malformed variable (never values). */
export function parseServerEnv(source: Record<string, string | undefined>): ServerEnv {
  const result = serverEnvSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => {
    const name = i.path.join(".") || "(env)";
    const missing = i.code === "invalid_type" && source[name] === undefined;
    return `  - ${name}: ${missing ? "is missing" : i.message}`;
  });
  throw new EnvError(`Invalid environment:\n${lines.join("\n")}`);
}

let cached: ServerEnv | undefined;

/** The validated environment of this process (parsed on first use). */
export function serverEnv(): ServerEnv {
  cached ??= parseServerEnv(process.env);
  return cached;
}

/** True when the process runs against the local stack (dev, tests, local production builds). */
export function isLocalStack(): boolean {
  return serverEnv().LOCAL_STACK === "1";
}
