import { z } from "zod";
import { leadIdSchema } from "./lead-params.schema";
import { CONSENT_STATUSES, LEAD_STATUSES } from "./lead-status";

/** Control characters have no place in a field typed by staff (tabs and newlines only in notes). */
const text = (max: number) =>
  z
    .string()
    .max(max, `At most ${max} characters.`)
    .transform((s) => s.replace(/[\u0000-\u001f\u007f]/g, " ").trim());

/** The lead edit form. Empty strings clear a field. */
export const leadUpdateSchema = z.object({
  leadId: leadIdSchema,
  firstName: text(100),
  lastName: text(100),
  phone: text(40).refine((s) => s.length > 0, "A lead needs a phone number."),
  email: text(254),
  vehicleYear: text(4).refine((s) => s === "" || /^(19|20)\d{2}$/.test(s), "Enter a 4-digit year."),
  vehicleMake: text(60),
  vehicleModel: text(60),
  vehicleTrim: text(60),
  vehicleVin: text(17).refine((s) => s === "" || /^[A-HJ-NPR-Z0-9]{17}$/i.test(s), "A VIN has 17 letters and digits."),
  notes: z
    .string()
    .max(4000, "At most 4000 characters.")
    .transform((s) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "").trim()),
  status: z.enum(LEAD_STATUSES),
  consentStatus: z.enum(CONSENT_STATUSES),
  /** The lead's version when the form was rendered (optimistic concurrency). */
  version: z.coerce.number().int().min(1).max(2_147_483_647),
});

export type LeadUpdateInput = z.infer<typeof leadUpdateSchema>;

export const leadAssignSchema = z.object({
  leadId: leadIdSchema,
  assigneeId: z.union([z.uuid(), z.literal("")]).transform((s) => s || null),
});

/** Why staff may record a re-consent (codes: free text could carry personal data into the audit log). */
export const RECONSENT_REASONS = {
  customer_asked: "The customer asked to receive texts again",
  opt_out_in_error: "The opt-out was recorded in error",
  new_written_consent: "The customer gave new written consent",
} as const;

/** How the re-consent was obtained. */
export const RECONSENT_SOURCES = {
  in_person: "In person",
  phone_call: "Phone call",
  signed_form: "Signed form",
  email: "E-mail",
  website: "Website",
} as const;

const keysOf = <T extends object>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

/** The re-consent form of an opted-out lead. */
export const leadReconsentSchema = z.object({
  leadId: leadIdSchema,
  reason: z.enum(keysOf(RECONSENT_REASONS), "Choose why the lead may be texted again."),
  source: z.enum(keysOf(RECONSENT_SOURCES), "Choose how the consent was given."),
});

export type LeadReconsentInput = z.infer<typeof leadReconsentSchema>;
