/**
 * Moving a lead through the sales pipeline from the inbox. Choosing "opted out" also opts the
 * lead out of texts (staff heard "don't text me" in so many words; the database derives the same
 * for any writer); an opted-out lead's status cannot be changed here, because only the lead
 * (START) or a recorded re-consent may undo an opt-out. The change carries the version the thread
 * was rendered from; the database writes the audit event.
 */
import type { UserTx } from "@/lib/db/with-user";
import type { LeadStatus } from "@/lib/leads/lead-queries";
import { LEAD_CHANGED_MESSAGE } from "@/lib/leads/lead-update";
import { AppError } from "@/lib/server/app-error";

/** Set the lead's status; returns false when it already had it. RLS decides who may. */
export async function setLeadStatus(tx: UserTx, dealershipId: string, leadId: string, status: LeadStatus, version: number): Promise<boolean> {
  const [row] = await tx`
    select status, consent_status, version from public.leads where dealership_id = ${dealershipId} and id = ${leadId} for update`;
  if (!row) throw new AppError("not_found", "No such lead.");
  if (row.version !== version) throw new AppError("conflict", LEAD_CHANGED_MESSAGE);
  if (row.status === status) return false;
  if (row.consent_status === "opted_out") {
    throw new AppError("conflict", "This lead opted out; only the lead (START) or a recorded re-consent can change that.");
  }
  const optOut = status === "opted_out";
  await tx`update public.leads set ${tx({
    status,
    ...(optOut ? { consent_status: "opted_out", consent_source: "staff edit (inbox)", consent_updated_at: new Date() } : {}),
  })} where dealership_id = ${dealershipId} and id = ${leadId}`;
  return true;
}
