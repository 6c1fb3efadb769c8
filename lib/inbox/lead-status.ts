/**
 * Moving a lead through the sales pipeline from the inbox, by the rule of lib/leads/lead-status.ts:
 * choosing "opted out" also opts the lead out of texts (staff heard "don't text me" in so many
 * words; the database derives the same for any writer), and an opted-out lead's status cannot be
 * changed here, because only the lead (START) or a recorded re-consent may undo an opt-out. The
 * change carries the version the thread was rendered from; the database writes the audit event.
 */
import type { UserScope } from "@/lib/db/scope";
import type { ConsentStatus, LeadStatus } from "@/lib/leads/lead-status";
import { staffStatusChange } from "@/lib/leads/staff-status-change";
import { LEAD_CHANGED_MESSAGE } from "@/lib/leads/lead-update";
import { AppError } from "@/lib/server/app-error";

/** Set the lead's status; returns false when it already had it. RLS decides who may. */
export async function setLeadStatus(
  { sql, dealershipId }: UserScope,
  leadId: string,
  status: LeadStatus,
  version: number,
): Promise<boolean> {
  const [row] = await sql<{ status: LeadStatus; consent_status: ConsentStatus; version: number }[]>`
    select status, consent_status, version from public.leads where dealership_id = ${dealershipId} and id = ${leadId} for update`;
  if (!row) throw new AppError("not_found", "No such lead.");
  if (row.version !== version) throw new AppError("conflict", LEAD_CHANGED_MESSAGE);
  if (row.status === status) return false;
  // The inbox changes the status only; the rule decides whether consent follows (and refuses an opted-out lead).
  const next = staffStatusChange({ consentStatus: row.consent_status }, { status, consentStatus: row.consent_status });
  const consentChanges = next.consentStatus !== row.consent_status;
  await sql`update public.leads set ${sql({
    status: next.status,
    ...(consentChanges
      ? { consent_status: next.consentStatus, consent_source: "staff edit (inbox)", consent_updated_at: new Date() }
      : {}),
  })} where dealership_id = ${dealershipId} and id = ${leadId}`;
  return true;
}
