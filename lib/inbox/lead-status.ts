/**
 * Moving a lead through the sales pipeline from the inbox. Choosing "opted out" also opts the
 * lead out of texts (staff heard "don't text me" in so many words); choosing any other status
 * never opts a lead back in, which only the lead can do (START).
 */
import { recordAuditEvent } from "@/lib/audit/audit-events";
import type { UserTx } from "@/lib/db/with-user";
import type { LeadStatus } from "@/lib/leads/lead-queries";
import { AppError } from "@/lib/server/app-error";

/** Set the lead's status; returns false when it already had it. RLS decides who may. */
export async function setLeadStatus(tx: UserTx, dealershipId: string, leadId: string, status: LeadStatus): Promise<boolean> {
  const [row] = await tx`
    select status, consent_status from public.leads where dealership_id = ${dealershipId} and id = ${leadId} for update`;
  if (!row) throw new AppError("not_found", "No such lead.");
  if (row.status === status) return false;
  const optOut = status === "opted_out" && row.consent_status !== "opted_out";
  await tx`update public.leads set ${tx({
    status,
    ...(optOut ? { consent_status: "opted_out", consent_source: "staff edit (inbox)", consent_updated_at: new Date() } : {}),
  })} where dealership_id = ${dealershipId} and id = ${leadId}`;
  await recordAuditEvent(tx, {
    dealershipId,
    action: "lead.updated",
    targetType: "lead",
    targetId: leadId,
    metadata: { fields: optOut ? "status,consentStatus" : "status", status, ...(optOut ? { consent: "opted_out" } : {}) },
  });
  return true;
}
