/**
 * Lead status and SMS consent: the one list of each, their labels, and the rule for changing
 * them by hand. Forms, filters, schemas, counts and the seed all read the lists from here.
 *
 * The rule (the database enforces the same for every writer, RL010): opting out is one fact for
 * status and consent, so choosing "opted out" for either sets both; and an opted-out lead's
 * status and consent are not changed by staff, only by the lead's own START or a recorded
 * re-consent (reconsent_lead).
 *
 * No server-only imports: client forms render the lists (the rule itself, which throws an
 * AppError, is in staff-status-change.ts).
 */
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
