import "server-only";
/**
 * Tenant scopes: the one shape of database work in this app.
 *
 * A `Scope` is one transaction bound to one dealership and one actor. Only these functions create
 * one: `withUser` (a signed-in request: the `authenticated` role with the verified JWT claims,
 * exactly as PostgREST does, so RLS decides), `withService` (a job with no user: a webhook, the
 * send worker, an export, a purge; each its own NOLOGIN database role that may execute only the
 * few definer functions its job needs) and `withSupport` (a platform operator reading a
 * dealership under its owner's time-limited grant, as the authenticated role: RLS decides). All
 * go through `runAsRole`, the single mechanism that switches role inside a transaction.
 *
 * The actor's kind is part of the type, so a webhook's scope cannot be passed where a user's is
 * expected (`UserScope` vs `ServiceScope<"sms_webhook">`), and domain functions take a scope
 * instead of `(tx, dealershipId)`.
 */
import type { CountryCode } from "libphonenumber-js";
import type { TransactionSql } from "postgres";
import type { VerifiedClaims } from "@/lib/auth/claims";
import { MEMBERSHIP_ROLES, type MembershipRole } from "@/lib/auth/permissions";
import { serverEnv } from "@/lib/env/server-env";
import { AppError } from "@/lib/server/app-error";
import { pool } from "./pool";

/**
 * What the session check learned about the signed-in user's session, in the same round trip:
 * whether the user has a verified second factor, and whether this session re-authenticated
 * (password, or TOTP on an aal2 session when there is a second factor) in the last 5 minutes.
 */
export interface SessionSecurity {
  readonly mfaEnrolled: boolean;
  readonly recentAuth: boolean;
}

/** The NOLOGIN roles of the no-user paths (created by migrations; the pool's login role is a member). */
export const SERVICE_ROLES = [
  "sms_webhook",
  "rate_limiter",
  "twilio_inventory",
  "session_guard",
  "sms_sender",
  "triage_exporter",
  "exporter",
  "platform_admin",
  "purger",
  "support_notifier",
] as const;
export type ServiceRole = (typeof SERVICE_ROLES)[number];

/** A signed-in member acting in the scope's dealership. */
export interface UserActor {
  readonly kind: "user";
  readonly userId: string;
  readonly role: MembershipRole;
  /** Authenticator assurance level of the session (aal2 after an MFA challenge). */
  readonly aal: "aal1" | "aal2";
  readonly claims: VerifiedClaims;
  readonly security: SessionSecurity;
}

/** A job with no user, running as its own database role. */
export interface ServiceActor<R extends ServiceRole = ServiceRole> {
  readonly kind: "service";
  readonly service: R;
}

/**
 * A platform operator reading a dealership under an owner's support grant (withSupport). Not a
 * member: RLS lets them SELECT the dealership's support tables while the grant lives, and nothing else.
 */
export interface SupportActor {
  readonly kind: "support";
  readonly operatorUserId: string;
  /** The support access request whose grant this transaction runs under. */
  readonly requestId: string;
  readonly expiresAt: Date;
  readonly claims: VerifiedClaims;
}

export type Actor = UserActor | ServiceActor | SupportActor;

declare const scopeBrand: unique symbol;

/** One tenant-scoped unit of work. Only withUser, withService and withSupport create one. */
export interface Scope<A extends Actor = Actor> {
  readonly sql: TransactionSql;
  readonly dealershipId: string;
  /** The dealership's default region for phone numbers without a country code. */
  readonly region: CountryCode;
  readonly actor: A;
  readonly [scopeBrand]: true;
}

export type UserScope = Scope<UserActor>;
export type ServiceScope<R extends ServiceRole = ServiceRole> = Scope<ServiceActor<R>>;
export type SupportScope = Scope<SupportActor>;
/** A person's read under RLS: a member (withUser) or an operator under a support grant (withSupport). */
export type ReadScope = Scope<UserActor | SupportActor>;

/** A service transaction before it knows its dealership (e.g. a webhook routing by number). */
export interface ServiceSession<R extends ServiceRole> {
  readonly sql: TransactionSql;
  readonly service: R;
  /** Bind this transaction to a dealership the service found (e.g. by the number texted). */
  forDealership(dealershipId: string, region?: CountryCode): ServiceScope<R>;
}

/** A signed-in request before a dealership is chosen: only for listing the user's own memberships. */
export interface AccountSession {
  readonly sql: TransactionSql;
  readonly claims: VerifiedClaims;
  readonly security: SessionSecurity;
}

function makeScope<A extends Actor>(
  sql: TransactionSql,
  dealershipId: string,
  region: CountryCode,
  actor: A,
): Scope<A> {
  return Object.freeze({ sql, dealershipId, region, actor }) as Scope<A>;
}

/** Thrown when a signed-in user's token belongs to a session that has ended. */
export class SessionEndedError extends AppError {
  constructor() {
    super("unauthenticated", "Your session has ended. Please sign in again.");
    this.name = "SessionEndedError";
  }
}

/** Thrown when a session with a second factor has not finished two-factor sign-in (aal1). */
export class MfaPendingError extends AppError {
  constructor() {
    super("mfa_required", "Enter the code from your authenticator app to finish signing in.");
    this.name = "MfaPendingError";
  }
}

const NO_SECURITY: SessionSecurity = { mfaEnrolled: false, recentAuth: false };

/**
 * The one mechanism: a transaction on the shared pool that first becomes `role` and publishes
 * `claims` (or none) as request.jwt.claims, as PostgREST does. Never exported: callers get a scope.
 * For a user it also refuses a token whose session has ended (sign-out, refresh-token reuse,
 * expiry, or past the idle timeout or absolute cap of SESSION_IDLE_TIMEOUT_HOURS /
 * SESSION_MAX_AGE_HOURS): a JWT stays valid by signature for up to an hour after its session is gone.
 */
async function runAsRole<T>(
  role: "authenticated" | ServiceRole,
  claims: VerifiedClaims | null,
  fn: (sql: TransactionSql, security: SessionSecurity) => Promise<T>,
): Promise<T> {
  const result = await pool().begin(async (sql) => {
    const setRole = sql`select set_config('role', ${role}, true), set_config('request.jwt.claims', ${claims ? JSON.stringify(claims) : ""}, true)`;
    if (role !== "authenticated") {
      await setRole;
      return fn(sql, NO_SECURITY);
    }
    const env = serverEnv();
    // Pipelined on the transaction's connection (one round trip); the session check is a
    // primary-key lookup plus a few index probes.
    const [, [status]] = await Promise.all([
      setRole,
      sql<{ active: boolean; mfa_enrolled: boolean; recent_auth: boolean }[]>`
        select active, mfa_enrolled, recent_auth from private.session_status(
          make_interval(secs => ${env.SESSION_IDLE_TIMEOUT_HOURS * 3600}),
          make_interval(secs => ${env.SESSION_MAX_AGE_HOURS * 3600}))`,
    ]);
    if (!status?.active) throw new SessionEndedError();
    return fn(sql, { mfaEnrolled: status.mfa_enrolled, recentAuth: status.recent_auth });
  });
  return result as T;
}

const isRole = (r: unknown): r is MembershipRole => (MEMBERSHIP_ROLES as readonly unknown[]).includes(r);

/**
 * Run fn in one transaction as the signed-in user, scoped to a dealership they belong to. The
 * membership (role) and the dealership's region are read in the same transaction, under RLS, so a
 * membership removed a moment ago is refused here ("forbidden"). A user with a second factor must
 * have finished two-factor sign-in (aal2), and a dealership that requires MFA admits only members
 * who have a second factor.
 */
export async function withUser<T>(
  claims: VerifiedClaims,
  dealershipId: string,
  fn: (scope: UserScope) => Promise<T>,
): Promise<T> {
  return runAsRole("authenticated", claims, async (sql, security) => {
    const aal = claims.aal ?? "aal1";
    if (security.mfaEnrolled && aal !== "aal2") throw new MfaPendingError();
    const [m] = await sql<{ role: string; default_region: CountryCode; require_mfa: boolean }[]>`
      select m.role, d.default_region, d.require_mfa
      from public.memberships m join public.dealerships d on d.id = m.dealership_id
      where m.user_id = (select auth.uid()) and m.dealership_id = ${dealershipId}`;
    if (!m || !isRole(m.role)) throw new AppError("forbidden", "You are not a member of this dealership.");
    if (m.require_mfa && !security.mfaEnrolled) {
      throw new AppError(
        "mfa_required",
        "This dealership requires two-factor authentication. Set it up in Settings → Security first.",
      );
    }
    const actor: UserActor = { kind: "user", userId: claims.sub, role: m.role, aal, claims, security };
    return fn(makeScope(sql, dealershipId, m.default_region, actor));
  });
}

/**
 * Run fn in one transaction as a platform operator reading a dealership under a support grant.
 * The grant is looked up in the same transaction through private.support_dealership_ids() (an
 * operator with platform.support.request, a session meeting assurance, a granted request that has
 * neither expired nor been revoked), so a grant revoked a moment ago is refused here
 * ("forbidden"). The scope reads only what the SELECT-only support policies show; it cannot write.
 */
export async function withSupport<T>(
  claims: VerifiedClaims,
  dealershipId: string,
  fn: (scope: SupportScope) => Promise<T>,
): Promise<T> {
  return runAsRole("authenticated", claims, async (sql, security) => {
    if (security.mfaEnrolled && (claims.aal ?? "aal1") !== "aal2") throw new MfaPendingError();
    const [grant] = await sql<{ id: string; expires_at: Date; default_region: CountryCode }[]>`
      select r.id, r.expires_at, d.default_region
      from public.support_access_requests r join public.dealerships d on d.id = r.dealership_id
      where r.dealership_id = ${dealershipId} and r.operator_user_id = (select auth.uid())
        and r.status = 'granted' and r.expires_at > now()
        and r.dealership_id in (select private.support_dealership_ids())
      order by r.expires_at desc limit 1`;
    if (!grant) throw new AppError("forbidden", "You have no live support access to this dealership.");
    const actor: SupportActor = {
      kind: "support",
      operatorUserId: claims.sub,
      requestId: grant.id,
      expiresAt: grant.expires_at,
      claims,
    };
    return fn(makeScope(sql, dealershipId, grant.default_region, actor));
  });
}

/**
 * Run fn as the signed-in user with no dealership chosen yet (RLS applies): listing memberships,
 * invitations, and the user's own sessions and security settings.
 */
export async function withAccount<T>(claims: VerifiedClaims, fn: (session: AccountSession) => Promise<T>): Promise<T> {
  return runAsRole("authenticated", claims, (sql, security) => fn({ sql, claims, security }));
}

/**
 * Run fn in one transaction as a no-user service role. With a dealership id the callback gets a
 * scope at once; without one it gets a session that binds itself once the job knows the tenant.
 */
export function withService<R extends ServiceRole, T>(
  service: R,
  dealershipId: string,
  fn: (scope: ServiceScope<R>) => Promise<T>,
): Promise<T>;
export function withService<R extends ServiceRole, T>(
  service: R,
  fn: (session: ServiceSession<R>) => Promise<T>,
): Promise<T>;
export async function withService<R extends ServiceRole, T>(
  service: R,
  dealershipOrFn: string | ((session: ServiceSession<R>) => Promise<T>),
  maybeFn?: (scope: ServiceScope<R>) => Promise<T>,
): Promise<T> {
  if (!(SERVICE_ROLES as readonly string[]).includes(service)) throw new Error(`unknown service role ${service}`);
  const actor: ServiceActor<R> = { kind: "service", service };
  return runAsRole(service, null, async (sql) => {
    const session: ServiceSession<R> = {
      sql,
      service,
      forDealership: (dealershipId, region = "US") => makeScope(sql, dealershipId, region, actor),
    };
    if (typeof dealershipOrFn === "string") return maybeFn!(session.forDealership(dealershipOrFn));
    return dealershipOrFn(session);
  });
}

/** Runs fn in a fresh scope each call (e.g. `ctx.run`), for work that spans several transactions. */
export type RunInScope<S extends Scope = UserScope> = <T>(fn: (scope: S) => Promise<T>) => Promise<T>;
