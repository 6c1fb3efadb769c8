/**
 * A local emulator of the Supabase Auth (GoTrue) HTTP API, for the local stack and tests.
 *
 * The unmodified supabase-js / @supabase/ssr clients talk to it, so it answers the endpoints they
 * call with GoTrue's shapes, status codes and error codes, and it gates /auth/v1 on the `apikey`
 * the way Supabase's API gateway does. Users live in the local Postgres auth schema.
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import postgres from "postgres";
import { z } from "zod";
import {
  createUserEndpoint,
  deleteUserEndpoint,
  getUserByIdEndpoint,
  listUsersEndpoint,
  updateUserEndpoint,
} from "./admin-endpoints";
import type { AuthContext, Handler, Reply } from "./context";
import { recoverEndpoint, inviteEndpoint, verifyEndpoint } from "./email-endpoints";
import { AuthApiError, notFound, sendError, writeJson } from "./errors";
import { requireAdmin } from "./request-auth";
import { readJson } from "./http-io";
import { deliverNotice, listMailbox } from "./mailer";
import { challengeEndpoint, enrollEndpoint, unenrollEndpoint, verifyFactorEndpoint } from "./mfa-endpoints";
import { tokenEndpoint } from "./token-grants";
import { jwksDocument, loadOrCreateSigningKey } from "./tokens";
import { getUserEndpoint, logoutEndpoint, updateUserEndpoint as updateSelfEndpoint } from "./user-endpoints";

/** How to run one emulator instance. */
export interface AuthEmulatorOptions {
  port: number;
  databaseUrl: string;
  /** Folder for the persisted signing key (auth-signing-key.json). */
  stateDir: string;
  anonKey: string;
  serviceRoleKey: string;
  log: (m: string) => void;
  /** Access-token lifetime; default 3600 (supabase/config.toml jwt_expiry). */
  accessTokenTtlSeconds?: number;
  /**
   * How long a rotated refresh token may still be exchanged; default 0 (supabase/config.toml
   * refresh_token_reuse_interval). Re-presenting the direct parent of a session's current token
   * is always answered with that current token, as GoTrue does.
   */
  refreshTokenReuseIntervalSeconds?: number;
  /** The app's origin, for the links in e-mails ({{ .SiteURL }}). */
  siteUrl: string;
  /** How long an e-mail link works; default 86400 (supabase/config.toml [auth.email] otp_expiry). */
  emailOtpExpirySeconds?: number;
  /**
   * The clock of access tokens: their `iat`/`exp` and the expiry check. Default: the real time.
   * Tests pass a clock they move, so "expired" never depends on how long a loaded machine takes.
   */
  now?: () => Date;
}

interface Route {
  method: string;
  path: RegExp;
  handler: Handler;
  /** Routes Supabase's gateway serves without an API key. */
  open?: boolean;
}

const ROUTES: Route[] = [
  { method: "GET", path: /^\/\.well-known\/jwks\.json$/, handler: jwksEndpoint, open: true },
  { method: "GET", path: /^\/health$/, handler: healthEndpoint },
  { method: "GET", path: /^\/settings$/, handler: settingsEndpoint },
  { method: "POST", path: /^\/token$/, handler: tokenEndpoint },
  { method: "GET", path: /^\/user$/, handler: getUserEndpoint },
  { method: "PUT", path: /^\/user$/, handler: updateSelfEndpoint },
  { method: "POST", path: /^\/logout$/, handler: logoutEndpoint },
  { method: "POST", path: /^\/invite$/, handler: inviteEndpoint },
  { method: "POST", path: /^\/recover$/, handler: recoverEndpoint },
  { method: "POST", path: /^\/verify$/, handler: verifyEndpoint },
  { method: "POST", path: /^\/factors$/, handler: enrollEndpoint },
  { method: "POST", path: /^\/factors\/([^/]+)\/challenge$/, handler: challengeEndpoint },
  { method: "POST", path: /^\/factors\/([^/]+)\/verify$/, handler: verifyFactorEndpoint },
  { method: "DELETE", path: /^\/factors\/([^/]+)$/, handler: unenrollEndpoint },
  { method: "GET", path: /^\/admin\/users$/, handler: listUsersEndpoint },
  { method: "POST", path: /^\/admin\/users$/, handler: createUserEndpoint },
  { method: "GET", path: /^\/admin\/users\/([^/]+)$/, handler: getUserByIdEndpoint },
  { method: "PUT", path: /^\/admin\/users\/([^/]+)$/, handler: updateUserEndpoint },
  { method: "DELETE", path: /^\/admin\/users\/([^/]+)$/, handler: deleteUserEndpoint },
];

const PREFIX = "/auth/v1";

async function jwksEndpoint(ctx: AuthContext): Promise<Reply> {
  return { status: 200, body: jwksDocument(ctx.key), headers: { "Cache-Control": "public, max-age=600" } };
}

async function healthEndpoint(): Promise<Reply> {
  return {
    status: 200,
    body: {
      version: "local-emulator",
      name: "GoTrue",
      description: "GoTrue is a user registration and authentication API",
    },
  };
}

async function settingsEndpoint(): Promise<Reply> {
  return {
    status: 200,
    body: {
      external: { anonymous_users: false, email: true, phone: false, saml: false },
      disable_signup: true,
      mailer_autoconfirm: true,
      phone_autoconfirm: false,
      sms_provider: "",
      saml_enabled: false,
    },
  };
}

/** What Supabase's gateway answers when the apikey is missing or wrong. */
function apiKeyProblem(ctx: AuthContext, req: IncomingMessage, url: URL): Reply | null {
  const header = req.headers.apikey;
  const key = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get("apikey");
  if (!key) {
    return {
      status: 401,
      body: { message: "No API key found in request", hint: "No `apikey` request header or url param was found." },
    };
  }
  if (key !== ctx.anonKey && key !== ctx.serviceRoleKey) {
    return {
      status: 401,
      body: { message: "Invalid API key", hint: "Double check your Supabase `anon` or `service_role` API key." },
    };
  }
  return null;
}

/**
 * The emulator's own endpoint (not GoTrue's): GET lists every e-mail delivered to the local
 * mailbox, for the /local/mailbox page and tests; unauthenticated on purpose, like the Twilio
 * emulator's: it listens on loopback, in local mode only. POST (service-role key) delivers one of
 * the app's own notices, standing in for the mail relay a deployment would use.
 */
const MAILBOX_PATH = "/__emulator/mailbox";
const noticeBody = z.object({
  to: z.email(),
  subject: z.string().min(1).max(200),
  body: z.string().min(1).max(10_000),
  link: z.url(),
});

async function dispatch(ctx: AuthContext, req: IncomingMessage, url: URL): Promise<Reply> {
  if (url.pathname === MAILBOX_PATH && req.method === "GET") {
    return { status: 200, body: { emails: await listMailbox(ctx.sql) }, headers: { "Cache-Control": "no-store" } };
  }
  if (url.pathname === MAILBOX_PATH && req.method === "POST") {
    await requireAdmin(ctx, req);
    await deliverNotice(ctx.sql, await readJson(req, noticeBody));
    return { status: 204 };
  }
  if (!url.pathname.startsWith(`${PREFIX}/`)) {
    return { status: 404, body: { message: "no Route matched with those values" } };
  }
  const path = url.pathname.slice(PREFIX.length);
  const matching = ROUTES.map((r) => ({ r, m: r.path.exec(path) })).filter((x) => x.m);
  const hit = matching.find((x) => x.r.method === req.method);
  if (!hit?.r.open) {
    const problem = apiKeyProblem(ctx, req, url);
    if (problem) return problem;
  }
  if (!hit) {
    if (matching.length > 0) throw new AuthApiError(405, "method_not_allowed", "Method Not Allowed");
    throw notFound("not_found", "Not Found");
  }
  return hit.r.handler(ctx, req, url, hit.m!.slice(1).map(safeDecode));
}

/** Decode a path segment; a malformed escape simply matches nothing. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return "";
  }
}

async function handle(ctx: AuthContext, log: (m: string) => void, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? "/", "http://localhost");
  let status: number;
  let failure = "";
  try {
    const reply = await dispatch(ctx, req, url);
    status = reply.status;
    if (reply.body === undefined) {
      res.writeHead(reply.status, reply.headers);
      res.end();
    } else {
      writeJson(res, reply.status, reply.body, reply.headers);
    }
  } catch (err) {
    status = sendError(req, res, err);
    // A server fault needs its cause to be debuggable; database and library messages carry no
    // request values.
    if (status >= 500) failure = `: ${(err as Error)?.message ?? String(err)}`;
  }
  // Only the method, path and status: never bodies, query strings or headers (tokens, passwords).
  if (status >= 400) log(`auth ${req.method} ${url.pathname} ${status}${failure}`);
}

/**
 * Start the emulator on 127.0.0.1:port (0 picks a free port). It needs the auth schema of
 * local-stack/postgres/bootstrap.sql in the database.
 */
export async function startAuthEmulator(opts: AuthEmulatorOptions): Promise<{ url: string; stop(): Promise<void> }> {
  const key = await loadOrCreateSigningKey(opts.stateDir);
  const sql = postgres(opts.databaseUrl, { max: 10, onnotice: () => {}, idle_timeout: 20 });
  try {
    await sql`select 1 from auth.users, auth.sessions, auth.refresh_tokens limit 1`;
  } catch (err) {
    await sql.end();
    throw new Error(`Auth emulator: the auth schema is missing or unreachable (${(err as Error).message})`);
  }
  const ctx: AuthContext = {
    sql,
    key,
    issuer: "",
    accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? 3600,
    refreshTokenReuseIntervalSeconds: opts.refreshTokenReuseIntervalSeconds ?? 0,
    anonKey: opts.anonKey,
    serviceRoleKey: opts.serviceRoleKey,
    siteUrl: opts.siteUrl,
    emailOtpExpirySeconds: opts.emailOtpExpirySeconds ?? 86_400,
    now: opts.now ?? (() => new Date()),
  };
  const server = http.createServer((req, res) => {
    handle(ctx, opts.log, req, res).catch(() => res.destroy());
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port, "127.0.0.1", () => resolve());
    });
  } catch (err) {
    await sql.end();
    throw err;
  }
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ctx.issuer = `${url}${PREFIX}`;
  opts.log(`auth emulator listening on ${url}`);
  return {
    url,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await sql.end({ timeout: 5 });
    },
  };
}
