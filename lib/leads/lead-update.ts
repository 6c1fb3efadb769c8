/**
 * Staff edits to a lead: re-encrypt the personal record, refresh the blind indexes, and change
 * status and consent within the consent rule. The database enforces that rule for every writer
 * (an opt-out is undone only by the lead's START or reconsent_lead; status "opted out" follows
 * consent) and writes the audit events (field names only) itself; RLS decides who may edit which
 * lead. An edit carries the version the form was rendered from: a lead that changed since (a STOP
 * arrived, a colleague saved) refuses the edit instead of silently undoing the other change.
 */
import { blindIndex, normalizeEmail, normalizeNameForIndex } from "@/lib/crypto/blind-index";
import type { UserScope } from "@/lib/db/scope";
import { AppError } from "@/lib/server/app-error";
import {
  CLEARED_LEGACY_COLUMNS,
  decryptLeadPiiPerField,
  encryptLeadPii,
  LEAD_PII_FIELDS,
  leadPiiColumns,
  type EncryptedLeadRow,
  type LeadPii,
  type LeadPiiField,
} from "./lead-fields";
import type { ConsentStatus, LeadStatus } from "./lead-status";
import { staffStatusChange } from "./staff-status-change";
import type { LeadReconsentInput, LeadUpdateInput } from "./lead-update.schema";
import { normalizePhone } from "./phone";

/** The refusal a stale form gets. */
export const LEAD_CHANGED_MESSAGE =
  "This lead changed since you opened it. Reload the page to see the changes, then edit again.";

const FIELD_ERRORS = "Please correct the highlighted fields.";

/** The one database refusal that reads differently here: the phone is a field of this form. */
function phoneTaken(err: unknown): unknown {
  if ((err as { code?: string })?.code === "23505") {
    return new AppError("conflict", "Another lead of this dealership already has that phone number.", {
      phone: ["Already used by another lead."],
    });
  }
  return err;
}

type EditedLeadRow = EncryptedLeadRow & {
  phone_bidx: string | null;
  status: LeadStatus;
  consent_status: ConsentStatus;
  version: number;
};

const PII_FIELDS = LEAD_PII_FIELDS;

/**
 * Apply the edit form to a lead of the scope's dealership; returns the names of the fields that
 * changed. Personal fields are one record: any change re-encrypts the whole record (and converts a
 * row still in the legacy per-field shape).
 */
export async function updateLead({ sql, dealershipId, region }: UserScope, input: LeadUpdateInput): Promise<string[]> {
  const [row] = await sql<EditedLeadRow[]>`
    select id, dealership_id, ${sql.unsafe(leadPiiColumns())}, phone_bidx, status, consent_status, version
    from public.leads where dealership_id = ${dealershipId} and id = ${input.leadId} for update`;
  if (!row) throw new AppError("not_found", "No such lead.");
  if (row.version !== input.version) throw new AppError("conflict", LEAD_CHANGED_MESSAGE);

  const phone = normalizePhone(input.phone, region);
  if (!phone.ok) throw new AppError("invalid_input", FIELD_ERRORS, { phone: [phone.reason] });
  const email = input.email ? normalizeEmail(input.email) : null;
  if (input.email && !email)
    throw new AppError("invalid_input", FIELD_ERRORS, { email: ["Not a valid e-mail address."] });

  // Status and consent are one fact when it comes to opting out (the database derives the same).
  const { status, consentStatus } = staffStatusChange({ consentStatus: row.consent_status }, input);

  const typed: LeadPii = {
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
  const { pii: before, unreadable } = decryptLeadPiiPerField(row);
  // Not on the form (it is the CRM's, read-only here): the record keeps the id it has.
  typed.crmId = before.crmId ?? null;
  const phoneBidx = blindIndex("phone", phone.e164, dealershipId);
  // A field that would not decrypt was shown empty. Left empty (or, for the required phone, typed
  // as the number its blind index says it is), nothing about it changed: if no other personal field
  // changed either, the stored ciphertext stays as it is (it may decrypt again once a missing key is
  // back). Any change writes a new record of exactly what the form holds.
  const unchangedUnreadable = (f: LeadPiiField) => (f === "phone" ? phoneBidx === row.phone_bidx : !typed[f]);
  const changed: string[] = PII_FIELDS.filter((f) =>
    unreadable.includes(f) ? !unchangedUnreadable(f) : (before[f] ?? null) !== (typed[f] ?? null),
  );
  const piiChanged = changed.length > 0;
  if (row.status !== status) changed.push("status");
  const consentChanged = row.consent_status !== consentStatus;
  if (consentChanged) changed.push("consentStatus");
  if (changed.length === 0) return [];

  const name = normalizeNameForIndex(typed.firstName ?? "", typed.lastName ?? "");
  const updated = await sql<{ id: string }[]>`update public.leads set ${sql({
    ...(piiChanged
      ? {
          ...encryptLeadPii(typed, dealershipId, input.leadId),
          ...CLEARED_LEGACY_COLUMNS,
          phone_bidx: phoneBidx,
          email_bidx: email ? blindIndex("email", email, dealershipId) : null,
          full_name_bidx: name ? blindIndex("name", name, dealershipId) : null,
        }
      : {}),
    status,
    ...(consentChanged
      ? { consent_status: consentStatus, consent_source: "staff edit", consent_updated_at: new Date() }
      : {}),
  })} where dealership_id = ${dealershipId} and id = ${input.leadId} and version = ${input.version} returning id`.catch(
    (err: unknown) => {
      throw phoneTaken(err);
    },
  );
  if (updated.length === 0) throw new AppError("conflict", LEAD_CHANGED_MESSAGE);
  return changed;
}

/**
 * Opt an opted-out lead back in on a recorded re-consent (owners, admins, managers; the database
 * checks, and refuses a lead that has not opted out with RL011).
 */
export async function reconsentLead({ sql }: UserScope, input: LeadReconsentInput): Promise<void> {
  await sql`select public.reconsent_lead(${input.leadId}, ${input.reason}, ${input.source})`.catch((err: unknown) => {
    // Here a refusal by role reads like a lead the user cannot see.
    if ((err as { code?: string })?.code === "42501")
      throw new AppError("not_found", "No such lead, or your role cannot re-consent it.");
    throw err;
  });
}

/** Assign a lead of the scope's dealership to a member (or unassign); the database checks membership and audits. */
export async function assignLead(
  { sql, dealershipId }: UserScope,
  leadId: string,
  assigneeId: string | null,
): Promise<void> {
  const updated = await sql<{ id: string }[]>`update public.leads set assigned_to = ${assigneeId}
    where dealership_id = ${dealershipId} and id = ${leadId} returning id`;
  if (updated.length === 0) throw new AppError("not_found", "No such lead.");
}
