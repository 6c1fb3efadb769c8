/**
 * The column mapping of an import: which lead field each CSV column fills. Keyed by header name
 * (headers are unique after parsing), so a saved mapping also fits a file whose columns come in
 * another order. Unmapped columns are ignored. It holds names only, never cell values.
 */
import { z } from "zod";

/** Lead fields a column can fill. Phone fields may be mapped several times (fallback order below). */
export const IMPORT_FIELDS = [
  "crmId",
  "firstName",
  "lastName",
  "fullName",
  "mobilePhone",
  "phone",
  "homePhone",
  "workPhone",
  "email",
  "vehicleYear",
  "vehicleMake",
  "vehicleModel",
  "vehicleTrim",
  "vehicle",
  "vehicleVin",
  "lastActivityAt",
  "salesperson",
  "source",
  "notes",
  "consent",
  "doNotText",
] as const;

export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Phone fields in the order a row's number is taken from: the first valid one wins. */
export const PHONE_FIELDS_BY_PREFERENCE = [
  "mobilePhone",
  "phone",
  "homePhone",
  "workPhone",
] as const satisfies readonly ImportField[];

/** Fields several columns may fill: phones (fallbacks, in column order) and notes (joined). */
const REPEATABLE: ReadonlySet<ImportField> = new Set<ImportField>([...PHONE_FIELDS_BY_PREFERENCE, "notes"]);

/** Labels for the mapping review step. */
export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
  crmId: "CRM record ID (Customer ID, Lead ID…)",
  firstName: "First name",
  lastName: "Last name",
  fullName: "Full name (split into first and last)",
  mobilePhone: "Mobile phone",
  phone: "Phone",
  homePhone: "Home phone",
  workPhone: "Work phone",
  email: "Email",
  vehicleYear: "Vehicle year",
  vehicleMake: "Vehicle make",
  vehicleModel: "Vehicle model",
  vehicleTrim: "Vehicle trim",
  vehicle: "Vehicle (year make model trim in one column)",
  vehicleVin: "VIN",
  lastActivityAt: "Last activity date",
  salesperson: "Salesperson",
  source: "Lead source",
  notes: "Notes",
  consent: "SMS consent (opted in / opted out)",
  doNotText: "Do not text (yes = opted out)",
};

/** header name → field. */
export const importMappingSchema = z
  .record(z.string().min(1).max(200), z.enum(IMPORT_FIELDS))
  .refine((m) => Object.keys(m).length <= 500, { message: "Too many columns in the mapping." })
  .superRefine((mapping, ctx) => {
    const used = new Map<ImportField, string>();
    for (const [header, field] of Object.entries(mapping)) {
      const earlier = used.get(field);
      if (earlier !== undefined && !REPEATABLE.has(field)) {
        ctx.addIssue({
          code: "custom",
          path: [header],
          message: `"${IMPORT_FIELD_LABELS[field]}" is already mapped to column "${earlier}".`,
        });
      }
      used.set(field, header);
    }
  });

export type ImportMapping = z.infer<typeof importMappingSchema>;

/** True when the mapping fills at least one phone field (a lead without a phone cannot be texted). */
export function mappingHasPhone(mapping: ImportMapping): boolean {
  return Object.values(mapping).some((f) => (PHONE_FIELDS_BY_PREFERENCE as readonly string[]).includes(f));
}
