/**
 * The rule for changing a lead's status and consent by hand (see lib/leads/lead-status.ts): opting
 * out is one fact for both, and staff never change an opted-out lead's. Server code only: it
 * throws the AppError users see (lead-status.ts itself stays free of server imports for forms).
 */
import { AppError } from "@/lib/server/app-error";
import type { ConsentStatus, LeadStatus } from "./lead-status";

/** The refusal of a staff change to an opted-out lead's status or consent. */
export const OPTED_OUT_MESSAGE =
  'This lead opted out of texts. Only the lead (by texting START) or a recorded re-consent can opt them back in; their status stays "opted out" until then.';

/**
 * The status and consent a staff change leads to, from the lead's current consent and the
 * requested values (see the module comment); throws a conflict for an opted-out lead.
 */
export function staffStatusChange(
  current: { consentStatus: ConsentStatus },
  requested: { status: LeadStatus; consentStatus: ConsentStatus },
): { status: LeadStatus; consentStatus: ConsentStatus } {
  if (
    current.consentStatus === "opted_out" &&
    (requested.status !== "opted_out" || requested.consentStatus !== "opted_out")
  ) {
    throw new AppError("conflict", OPTED_OUT_MESSAGE);
  }
  const optOut = requested.status === "opted_out" || requested.consentStatus === "opted_out";
  return optOut ? { status: "opted_out", consentStatus: "opted_out" } : requested;
}
