/**
 * Support access: a platform operator asks a dealership for read access with a reason; its owner
 * grants it for a limited time (after re-authenticating), denies it, or revokes it early. Every
 * step is a definer function that checks who may take it and audits it in the dealership's log;
 * the grant itself is the row the RLS policies check (private.support_dealership_ids), so access
 * ends by itself at expires_at. Operators run as themselves (withAccount / withSupport), owners
 * in their dealership scope (withUser).
 */
import type { VerifiedClaims } from "@/lib/auth/claims";
import { withAccount, type SupportScope, type UserScope } from "@/lib/db/scope";
import { SUPPORT_REQUEST_TTL_MS } from "./support-access.schema";

export type SupportRequestStatus = "pending" | "granted" | "denied" | "revoked" | "expired";

export interface SupportRequest {
  id: string;
  reason: string;
  /** As it stands now: a grant past its end, or a request left unanswered too long, is "expired". */
  status: SupportRequestStatus;
  requestedAt: Date;
  decidedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** A request as its dealership's owners see it. */
export interface DealershipSupportRequest extends SupportRequest {
  operatorEmail: string | null;
}

/** A request as the operator who made it sees it. */
export interface OperatorSupportRequest extends SupportRequest {
  dealershipId: string;
  dealershipName: string;
}

interface RequestRow {
  id: string;
  reason: string;
  status: SupportRequestStatus;
  requested_at: Date;
  decided_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

/** The status a stored request has now (grants and open requests run out without any write). */
export function currentStatus(
  row: { status: SupportRequestStatus; requestedAt: Date; expiresAt: Date | null },
  now: Date = new Date(),
): SupportRequestStatus {
  if (row.status === "pending" && now.getTime() - row.requestedAt.getTime() >= SUPPORT_REQUEST_TTL_MS) return "expired";
  if (row.status === "granted" && (!row.expiresAt || row.expiresAt <= now)) return "expired";
  return row.status;
}

function toRequest(r: RequestRow): SupportRequest {
  const base = {
    id: r.id,
    reason: r.reason,
    status: r.status,
    requestedAt: r.requested_at,
    decidedAt: r.decided_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  };
  return { ...base, status: currentStatus(base) };
}

/** Ask a dealership for support access (operators only; audited). Returns the request's id. */
export async function requestSupportAccess(
  claims: VerifiedClaims,
  input: { dealershipId: string; reason: string },
): Promise<string> {
  const [row] = await withAccount(
    claims,
    ({ sql }) =>
      sql<{ id: string }[]>`select public.request_support_access(${input.dealershipId}, ${input.reason}) as id`,
  );
  return row!.id;
}

/** The calling operator's requests, newest first. */
export async function listMySupportRequests(claims: VerifiedClaims): Promise<OperatorSupportRequest[]> {
  const rows = await withAccount(
    claims,
    ({ sql }) =>
      sql<(RequestRow & { dealership_id: string; dealership_name: string })[]>`
        select * from public.my_support_requests()`,
  );
  return rows.map((r) => ({ ...toRequest(r), dealershipId: r.dealership_id, dealershipName: r.dealership_name }));
}

/** End one's own live grant early (the operator who holds it). */
export async function endMySupportAccess(claims: VerifiedClaims, requestId: string): Promise<void> {
  await withAccount(claims, ({ sql }) => sql`select public.revoke_support_access(${requestId})`);
}

/** The dealership's requests for its owners (support.grant), newest first. */
export async function listDealershipSupportRequests(scope: UserScope): Promise<DealershipSupportRequest[]> {
  const rows = await scope.sql<(RequestRow & { operator_email: string | null })[]>`
    select * from public.dealership_support_requests(${scope.dealershipId})`;
  return rows.map((r) => ({ ...toRequest(r), operatorEmail: r.operator_email }));
}

/** How many requests wait for an answer and how many grants are live (for the owners' banner). */
export async function supportAccessCounts(scope: UserScope): Promise<{ pending: number; live: number }> {
  const [row] = await scope.sql<{ pending: number; live: number }[]>`
    select count(*) filter (where status = 'pending' and requested_at > now() - private.support_request_ttl())::int as pending,
           count(*) filter (where status = 'granted' and expires_at > now())::int as live
    from public.support_access_requests where dealership_id = ${scope.dealershipId}`;
  return row ?? { pending: 0, live: 0 };
}

/** Grant a pending request for a number of minutes (owners; needs a recent re-authentication). */
export async function grantSupportAccess({ sql }: UserScope, requestId: string, minutes: number): Promise<Date> {
  const [row] = await sql<
    { expires_at: Date }[]
  >`select public.grant_support_access(${requestId}, ${minutes}) as expires_at`;
  return row!.expires_at;
}

/** Deny a pending request (owners). */
export async function denySupportAccess({ sql }: UserScope, requestId: string): Promise<void> {
  await sql`select public.deny_support_access(${requestId})`;
}

/** Revoke a live grant early (owners). */
export async function revokeSupportAccess({ sql }: UserScope, requestId: string): Promise<void> {
  await sql`select public.revoke_support_access(${requestId})`;
}

/**
 * Audit that the operator opened a support page (`support.page_viewed` in the dealership's log).
 * The database checks the grant again and takes the path only if it is ids and page names.
 */
export async function recordSupportPageView({ sql, dealershipId }: SupportScope, path: string): Promise<void> {
  await sql`select * from public.record_support_page_view(${dealershipId}, ${path})`;
}
