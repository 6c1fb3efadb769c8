/**
 * Closing a dealership (account deletion, issue 11 item 4). An owner closes it after a recent
 * re-authentication, typing its name; from then on no member reaches any of its data (the database's
 * membership helpers leave closed dealerships out) and nothing is sent. For 30 days an owner can
 * reopen it; after that the purge job (lib/dealerships/purge.ts) deletes it for good. The database
 * functions re-check the permission, the re-authentication and the window, and write the
 * `dealership.closed` / `dealership.reopened` audit rows.
 */
import { z } from "zod";
import type { MembershipRole } from "@/lib/auth/permissions";
import type { AccountSession, UserScope } from "@/lib/db/scope";
import { formatUtcTimestamp } from "@/lib/format/timestamp";

/** How long a closed dealership can be reopened before the purge deletes it (the database's interval). */
export const CLOSURE_GRACE_DAYS = 30;

export const closeDealershipSchema = z.object({
  confirmName: z.string().trim().min(1, "Type the dealership's name to confirm.").max(200),
});

export const dealershipIdSchema = z.object({ dealershipId: z.uuid("Choose a dealership.") });

/** A closed dealership the signed-in user belongs to. */
export interface ClosedDealership {
  dealershipId: string;
  name: string;
  role: MembershipRole;
  closedAt: Date;
  /** When the purge deletes it; reopening is possible until then. */
  purgeAfter: Date;
  /** The user's role may reopen it (owners). */
  canReopen: boolean;
}

/**
 * What a member of closed dealerships is told when they call an action or an API route: each
 * one's name, when it was closed and when it will be deleted (the /closed page says the same).
 * Only the user's own closed dealerships are ever passed in (public.my_closed_dealerships).
 */
export function closedDealershipMessage(closed: readonly ClosedDealership[], now = new Date()): string {
  const each = closed.map(
    (c) =>
      `${c.name} was closed on ${formatUtcTimestamp(c.closedAt)} UTC and ${
        c.purgeAfter > now ? `will be deleted on ${formatUtcTimestamp(c.purgeAfter)} UTC` : "is being deleted"
      }`,
  );
  return `${each.join("; ")}. Nobody can use its data until an owner reopens it (see /closed).`;
}

/**
 * Close the scope's dealership. The typed name must match (RL100); the database requires
 * `dealership.close` and a recent re-authentication. Resolves to when it will be purged.
 */
export async function closeDealership(
  { sql, dealershipId }: UserScope,
  confirmName: string,
): Promise<{ purgeAfter: Date }> {
  const [row] = await sql<{ purge_after: Date }[]>`
    select public.close_dealership(${dealershipId}, ${confirmName}) as purge_after`;
  return { purgeAfter: row!.purge_after };
}

/** The closed dealerships the signed-in user belongs to, newest closure first. */
export async function listMyClosedDealerships({ sql }: AccountSession): Promise<ClosedDealership[]> {
  const rows = await sql<
    {
      dealership_id: string;
      name: string;
      role: MembershipRole;
      closed_at: Date;
      purge_after: Date;
      can_reopen: boolean;
    }[]
  >`select dealership_id, name, role, closed_at, purge_after, can_reopen from public.my_closed_dealerships()`;
  return rows.map((r) => ({
    dealershipId: r.dealership_id,
    name: r.name,
    role: r.role,
    closedAt: r.closed_at,
    purgeAfter: r.purge_after,
    canReopen: r.can_reopen,
  }));
}

/**
 * Reopen a closed dealership: an owner of it, re-authenticated, before its purge date (RL102
 * after). Every member's access comes back as it was.
 */
export async function reopenDealership({ sql }: AccountSession, dealershipId: string): Promise<void> {
  await sql`select public.reopen_dealership(${dealershipId})`;
}
