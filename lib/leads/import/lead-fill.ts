/**
 * The "fill the gaps, never overwrite" rules for a row whose phone already belongs to a lead
 * (one in the database, or one from an earlier row of the same file). Pure: it decides what
 * changes; the writer encrypts and stores it.
 *
 * - A name is filled only when the lead has none (first and last both empty), and the vehicle
 *   (year, make, model, trim, VIN) only when it has none of it, so two people or two vehicles
 *   are never mixed into one; email, notes, source, assignee and the CRM id are filled when empty.
 *   The CRM id is filled only when the state says it is empty (hasCrmId false): a caller that
 *   does not know (hasCrmId left out) never has it overwritten.
 * - Last activity only moves forward.
 * - Consent only moves unknown → opted in / opted out, or opted in → opted out; an opt-out is
 *   never undone by an import (STOP replies win).
 */
import { normalizeNameForIndex } from "@/lib/crypto/blind-index";
import type { LeadPii } from "@/lib/leads/lead-fields";
import type { ConsentStatus } from "@/lib/leads/lead-status";
import type { PreparedLead } from "./prepare-row";

/** Which parts of a lead are filled: all an import needs to know to fill the rest. */
export interface LeadState {
  id: string;
  consent: ConsentStatus;
  lastActivityAt: Date | null;
  hasName: boolean;
  hasPhone: boolean;
  hasEmail: boolean;
  hasVehicle: boolean;
  hasNotes: boolean;
  /** Whether the lead has a CRM id; unknown (undefined) counts as having one, so it is never overwritten. */
  hasCrmId?: boolean;
  hasSource: boolean;
  hasAssignee: boolean;
}

/** What a row adds to a lead it matched. */
export interface LeadFill {
  /** Personal fields to set (encrypted by the writer). */
  pii: LeadPii;
  /** Normalized email / name for the blind indexes, when those fields are filled. */
  emailForIndex: string | null;
  nameForIndex: string | null;
  source: string | null;
  assignee: string | null;
  lastActivityAt: Date | null;
  consent: ConsentStatus | null;
}

/** The consent an import moves a lead to, or null for no change. */
export function nextConsent(current: ConsentStatus, incoming: PreparedLead["consent"]): ConsentStatus | null {
  if (incoming === null || incoming === current || current === "opted_out") return null;
  if (incoming === "opted_in" && current !== "unknown") return null;
  return incoming;
}

const hasVehicle = (l: PreparedLead) =>
  Boolean(l.vehicleYear || l.vehicleMake || l.vehicleModel || l.vehicleTrim || l.vehicleVin);

/** The state of a lead created from this row. */
export function stateOfNewLead(id: string, lead: PreparedLead, assignee: string | null): LeadState {
  return {
    id,
    consent: lead.consent ?? "unknown",
    lastActivityAt: lead.lastActivityAt,
    hasName: Boolean(lead.firstName || lead.lastName),
    hasPhone: true,
    hasEmail: lead.email !== null,
    hasVehicle: hasVehicle(lead),
    hasNotes: lead.notes !== null,
    hasCrmId: Boolean(lead.crmId),
    hasSource: lead.source !== null,
    hasAssignee: assignee !== null,
  };
}

/** What `lead` (with its matched assignee) fills in a lead in `state`, or null when nothing. */
export function planFill(state: LeadState, lead: PreparedLead, assignee: string | null): LeadFill | null {
  const fill: LeadFill = {
    pii: {},
    emailForIndex: null,
    nameForIndex: null,
    source: null,
    assignee: null,
    lastActivityAt: null,
    consent: null,
  };
  let changed = false;
  if (!state.hasName && (lead.firstName || lead.lastName)) {
    fill.pii.firstName = lead.firstName;
    fill.pii.lastName = lead.lastName;
    fill.nameForIndex = normalizeNameForIndex(lead.firstName ?? "", lead.lastName ?? "");
    changed = true;
  }
  if (!state.hasPhone) {
    fill.pii.phone = lead.phone;
    changed = true;
  }
  if (!state.hasEmail && lead.email) {
    fill.pii.email = lead.email;
    fill.emailForIndex = lead.email;
    changed = true;
  }
  if (!state.hasVehicle && hasVehicle(lead)) {
    fill.pii.vehicleYear = lead.vehicleYear;
    fill.pii.vehicleMake = lead.vehicleMake;
    fill.pii.vehicleModel = lead.vehicleModel;
    fill.pii.vehicleTrim = lead.vehicleTrim;
    fill.pii.vehicleVin = lead.vehicleVin;
    changed = true;
  }
  if (!state.hasNotes && lead.notes) {
    fill.pii.notes = lead.notes;
    changed = true;
  }
  if (state.hasCrmId === false && lead.crmId) {
    fill.pii.crmId = lead.crmId;
    changed = true;
  }
  if (!state.hasSource && lead.source) {
    fill.source = lead.source;
    changed = true;
  }
  if (!state.hasAssignee && assignee) {
    fill.assignee = assignee;
    changed = true;
  }
  if (lead.lastActivityAt && (!state.lastActivityAt || lead.lastActivityAt > state.lastActivityAt)) {
    fill.lastActivityAt = lead.lastActivityAt;
    changed = true;
  }
  fill.consent = nextConsent(state.consent, lead.consent);
  if (fill.consent) changed = true;
  return changed ? fill : null;
}

/** The state after a fill. */
export function applyFillToState(state: LeadState, fill: LeadFill): void {
  if (fill.pii.firstName || fill.pii.lastName) state.hasName = true;
  if (fill.pii.phone) state.hasPhone = true;
  if (fill.pii.email) state.hasEmail = true;
  if (
    fill.pii.vehicleYear ||
    fill.pii.vehicleMake ||
    fill.pii.vehicleModel ||
    fill.pii.vehicleTrim ||
    fill.pii.vehicleVin
  ) {
    state.hasVehicle = true;
  }
  if (fill.pii.notes) state.hasNotes = true;
  if (fill.pii.crmId) state.hasCrmId = true;
  if (fill.source) state.hasSource = true;
  if (fill.assignee) state.hasAssignee = true;
  if (fill.lastActivityAt) state.lastActivityAt = fill.lastActivityAt;
  if (fill.consent) state.consent = fill.consent;
}

/** Applies a fill to a lead not yet written (a duplicate row within the same batch). */
export function applyFillToLead(lead: PreparedLead, fill: LeadFill): void {
  for (const [field, value] of Object.entries(fill.pii) as [keyof LeadPii, string | null][]) {
    if (field !== "phone") lead[field] = value; // a lead of this file always has its phone
  }
  if (fill.source) lead.source = fill.source;
  if (fill.lastActivityAt) lead.lastActivityAt = fill.lastActivityAt;
  if (fill.consent) lead.consent = fill.consent === "unknown" ? null : fill.consent;
}
