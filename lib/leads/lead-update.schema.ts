import { z } from "zod";
import { CONSENT_STATUSES, LEAD_STATUSES } from "./lead-filters.schema";

/** Control characters have no place in a field typed by staff (tabs and newlines only in notes). */
const text = (max: number) =>
  z
    .string()
    .max(max, `At most ${max} characters.`)
    .transform((s) => s.replace(/[\u0000-\u001f\u007f]/g, " ").trim());

/** The lead edit form. Empty strings clear a field. */
export const leadUpdateSchema = z.object({
  leadId: z.uuid(),
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
});

export type LeadUpdateInput = z.infer<typeof leadUpdateSchema>;

export const leadAssignSchema = z.object({
  leadId: z.uuid(),
  assigneeId: z.union([z.uuid(), z.literal("")]).transform((s) => s || null),
});
