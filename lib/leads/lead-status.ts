/**
 * Lead status and SMS consent: the one list of each, their labels, and the rule for changing
 * them by hand. Forms, filters, schemas, counts and the seed all read the lists from here.
 *
 * The rule (the database enforces the same for every writer, RL010): opting out is one fact for
 * status and consent, so choosing "opted out" for either sets both; and an opted-out lead's
 * status and consent are not changed by staff, only by the lead's own START or a recorded
 * re-consent (reconsent_lead).
 *
 * No server-only imports: client forms render the lists.
 */
import { AppError } from "@/lib/server/app-error";

export const LEAD_STATUSES = ["new", "engaged", "appointment_set", "sold", "lost", "opted_out"] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** How a status reads in the UI. */
export const LEAD_STATUS_LABELS: Record<LeadStatus, string> = {
  new: "new",
  engaged: "engaged",
  appointment_set: "appointment set",
  sold: "sold",
  lost: "lost",
  opted_out: "opted out",
};

export const CONSENT_STATUSES = ["unknown", "opted_in", "opted_out"] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/** How a consent status reads in the UI. */
export const CONSENT_STATUS_LABELS: Record<ConsentStatus, string> = {
  unknown: "unknown",
  opted_in: "opted in",
  opted_out: "opted out",
};

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
