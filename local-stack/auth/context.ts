/**
 * What every endpoint handler receives, and what it returns.
 */
import type { IncomingMessage } from "node:http";
import type postgres from "postgres";
import type { SigningKey } from "./tokens";

/** Shared state of one running emulator. */
export interface AuthContext {
  sql: postgres.Sql;
  key: SigningKey;
  /** `iss` of access tokens: `<url>/auth/v1`, as on Supabase. */
  issuer: string;
  accessTokenTtlSeconds: number;
  refreshTokenReuseIntervalSeconds: number;
  anonKey: string;
  serviceRoleKey: string;
  /** The app's origin ({{ .SiteURL }} in the e-mail templates). */
  siteUrl: string;
  /** How long an e-mail link (invite, recovery) works: supabase/config.toml [auth.email] otp_expiry. */
  emailOtpExpirySeconds: number;
  /** The clock access tokens are issued and checked by (tests move it instead of waiting). */
  now(): Date;
}

/** A handler's answer; the server serialises `body` as JSON (none for 204). */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** An endpoint: `params` are the route pattern's captures. */
export type Handler = (ctx: AuthContext, req: IncomingMessage, url: URL, params: string[]) => Promise<Reply>;
