/**
 * The operator console's data: aggregates per dealership (never a lead, message, name or e-mail)
 * and status changes, both through definer functions that check the platform permission map in
 * the database, as the signed-in operator (the authenticated role with the operator's JWT).
 */
import type { VerifiedClaims } from "@/lib/auth/claims";
import { withAccount } from "@/lib/db/scope";
import type { DealershipStatus, StatusTransition } from "./dealerships";

export interface DealershipOverview {
  id: string;
  name: string;
  status: DealershipStatus;
  createdAt: Date;
  members: number;
  leads: number;
  sendingNumbers: string[];
  outbound30d: number;
  campaignMessages30d: number;
  /** Failed or undelivered share of outbound messages in the last 30 days (0 to 1). */
  failureRate: number;
  /** Opted-out share of the dealership's leads (0 to 1). */
  optOutRate: number;
  /** Set when its owner closed it (no member reaches it); the purge deletes it at purgeAfter. */
  closure: { closedAt: Date; purgeAfter: Date } | null;
}

/** Every dealership with its aggregates; refused (42501) unless the caller is an operator. */
export async function listDealershipOverview(claims: VerifiedClaims): Promise<DealershipOverview[]> {
  const rows = await withAccount(
    claims,
    ({ sql }) =>
      sql<
        {
          id: string;
          name: string;
          status: DealershipStatus;
          created_at: Date;
          members: number;
          leads: number;
          sending_numbers: string[];
          outbound_30d: number;
          campaign_messages_30d: number;
          failed_30d: number;
          opted_out_leads: number;
          closed_at: Date | null;
          purge_after: Date | null;
        }[]
      >`select * from public.platform_dealership_overview()`,
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    status: r.status,
    createdAt: r.created_at,
    members: r.members,
    leads: r.leads,
    sendingNumbers: r.sending_numbers,
    outbound30d: r.outbound_30d,
    campaignMessages30d: r.campaign_messages_30d,
    failureRate: r.outbound_30d ? r.failed_30d / r.outbound_30d : 0,
    optOutRate: r.leads ? r.opted_out_leads / r.leads : 0,
    closure: r.closed_at && r.purge_after ? { closedAt: r.closed_at, purgeAfter: r.purge_after } : null,
  }));
}

/** Approve, suspend or resume as the operator (audited in the dealership's log); false if it did not apply. */
export async function setDealershipStatusAsOperator(
  claims: VerifiedClaims,
  dealershipId: string,
  transition: StatusTransition,
): Promise<boolean> {
  const [row] = await withAccount(
    claims,
    ({ sql }) =>
      sql<
        { changed: boolean }[]
      >`select public.platform_set_dealership_status(${dealershipId}, ${transition}) as changed`,
  );
  return row!.changed;
}
