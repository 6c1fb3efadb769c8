/**
 * Staff edits to a lead: re-encrypt the personal fields, refresh the blind indexes, and audit
 * which fields changed (names of fields only, never values). RLS decides who may edit which lead.
 */
import type { CountryCode } from "libphonenumber-js";
import { recordAuditEvent } from "@/lib/audit/audit-events";
import { blindIndex, normalizeEmail, normalizeNameForIndex } from "@/lib/crypto/blind-index";
import type { UserTx } from "@/lib/db/with-user";
import { AppError } from "@/lib/server/app-error";
import { decryptLeadPii, encryptLeadPii, LEAD_PII_FIELDS, type LeadPii, type LeadPiiField } from "./lead-fields";
import type { LeadUpdateInput } from "./lead-update.schema";
import { normalizePhone } from "./phone";

interface LeadScope {
  dealershipId: string;
  region: CountryCode;
}

/** Apply the edit form to a lead; returns the names of the fields that changed. */
export async function updateLead(tx: UserTx, scope: LeadScope, input: LeadUpdateInput): Promise<string[]> {
  const { dealershipId } = scope;
  const [row] = await tx`select * from public.leads where dealership_id = ${dealershipId} and id = ${input.leadId} for update`;
  if (!row) throw new AppError("not_found", "No such lead.");

  const phone = normalizePhone(input.phone, scope.region);
  if (!phone.ok) throw new AppError("invalid_input", "Please correct the highlighted fields.", { phone: [phone.reason] });
  const email = input.email ? normalizeEmail(input.email) : null;
  if (input.email && !email) throw new AppError("invalid_input", "Please correct the highlighted fields.", { email: ["Not a valid e-mail address."] });

  const next: LeadPii = {
    firstName: input.firstName || null,
    lastName: input.lastName || null,
    phone: phone.e164,
    email,
    vehicleYear: input.vehicleYear || null,
    vehicleMake: input.vehicleMake || null,
    vehicleModel: input.vehicleModel || null,
    vehicleTrim: input.vehicleTrim || null,
    vehicleVin: input.vehicleVin ? input.vehicleVin.toUpperCase() : null,
    notes: input.notes || null,
  };
  const before = decryptLeadPii(row as never);
  const changed: string[] = (Object.keys(LEAD_PII_FIELDS) as LeadPiiField[]).filter((f) => (before[f] ?? null) !== (next[f] ?? null));
  if (row.status !== input.status) changed.push("status");
  const consentChanged = row.consent_status !== input.consentStatus;
  if (consentChanged) changed.push("consentStatus");
  if (changed.length === 0) return [];

  const name = normalizeNameForIndex(next.firstName ?? "", next.lastName ?? "");
  try {
    await tx`update public.leads set ${tx({
      ...encryptLeadPii(next, dealershipId, input.leadId),
      phone_bidx: blindIndex("phone", phone.e164, dealershipId),
      email_bidx: email ? blindIndex("email", email, dealershipId) : null,
      full_name_bidx: name ? blindIndex("name", name, dealershipId) : null,
      status: input.status,
      ...(consentChanged ? { consent_status: input.consentStatus, consent_source: "staff edit", consent_updated_at: new Date() } : {}),
    })} where dealership_id = ${dealershipId} and id = ${input.leadId}`;
  } catch (err) {
    if ((err as { code?: string }).code === "23505") {
      throw new AppError("conflict", "Another lead of this dealership already has that phone number.", { phone: ["Already used by another lead."] });
    }
    throw err;
  }
  await recordAuditEvent(tx, {
    dealershipId,
    action: "lead.updated",
    targetType: "lead",
    targetId: input.leadId,
    metadata: { fields: changed.join(","), ...(consentChanged ? { consent: input.consentStatus } : {}) },
  });
  return changed;
}

/** Assign a lead to a member of the dealership (or unassign); the database checks membership. */
export async function assignLead(tx: UserTx, dealershipId: string, leadId: string, assigneeId: string | null): Promise<void> {
  const updated = await tx`update public.leads set assigned_to = ${assigneeId}
    where dealership_id = ${dealershipId} and id = ${leadId} returning id`;
  if (updated.length === 0) throw new AppError("not_found", "No such lead.");
  await recordAuditEvent(tx, {
    dealershipId,
    action: "lead.assigned",
    targetType: "lead",
    targetId: leadId,
    metadata: { assignee: assigneeId },
  });
}
