/**
 * A lead's merge-field values for a campaign template, from its decrypted fields, the
 * dealership's name and the assigned rep's display name. One place, so the composer's preview
 * and the send worker fill templates the same way.
 */
import type { LeadPii } from "@/lib/leads/lead-fields";
import type { MergeValues } from "./message-template";

/** The values of {first_name}, {last_name}, {vehicle}, {dealer_name} and {rep_name}. */
export function mergeValuesFor(pii: LeadPii, dealerName: string | null, repName: string | null): MergeValues {
  const vehicle = [pii.vehicleYear, pii.vehicleMake, pii.vehicleModel]
    .map((v) => v?.trim())
    .filter(Boolean)
    .join(" ");
  return {
    first_name: pii.firstName ?? null,
    last_name: pii.lastName ?? null,
    vehicle: vehicle || null,
    dealer_name: dealerName,
    rep_name: repName,
  };
}
