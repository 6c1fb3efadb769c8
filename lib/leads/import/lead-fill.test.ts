/** The fill-the-gaps rules for a row whose phone is already known. */
import { describe, expect, it } from "vitest";
import { applyFillToLead, applyFillToState, nextConsent, planFill, stateOfNewLead, type LeadState } from "./lead-fill";
import type { PreparedLead } from "./prepare-row";

const base: PreparedLead = {
  rowNumber: 2,
  phone: "+13125550100",
  crmId: null,
  firstName: null,
  lastName: null,
  email: null,
  vehicleYear: null,
  vehicleMake: null,
  vehicleModel: null,
  vehicleTrim: null,
  vehicleVin: null,
  notes: null,
  lastActivityAt: null,
  salesperson: null,
  source: null,
  consent: null,
};
const row = (o: Partial<PreparedLead>): PreparedLead => ({ ...base, ...o });
const known = (o: Partial<LeadState> = {}): LeadState => ({
  id: "lead-1",
  consent: "unknown",
  lastActivityAt: null,
  hasName: false,
  hasPhone: true,
  hasEmail: false,
  hasVehicle: false,
  hasNotes: false,
  hasCrmId: false,
  hasSource: false,
  hasAssignee: false,
  ...o,
});

describe("nextConsent", () => {
  it.each([
    ["unknown", "opted_in", "opted_in"],
    ["unknown", "opted_out", "opted_out"],
    ["opted_in", "opted_out", "opted_out"],
    ["opted_in", "opted_in", null],
    ["opted_out", "opted_in", null],
    ["opted_out", "opted_out", null],
    ["opted_in", null, null],
  ] as const)("%s + %s → %s", (current, incoming, expected) => {
    expect(nextConsent(current, incoming)).toBe(expected);
  });
});

describe("planFill", () => {
  it("fills only empty parts and reports nothing when nothing is missing", () => {
    const full = known({
      hasName: true,
      hasEmail: true,
      hasVehicle: true,
      hasNotes: true,
      hasCrmId: true,
      hasSource: true,
      hasAssignee: true,
      lastActivityAt: new Date("2024-01-01"),
    });
    expect(
      planFill(
        full,
        row({
          crmId: "C-9",
          firstName: "Ann",
          email: "a@b.co",
          notes: "n",
          source: "s",
          lastActivityAt: new Date("2023-01-01"),
        }),
        "user-1",
      ),
    ).toBeNull();
  });

  it("fills the name as a unit, and only when the lead has none", () => {
    expect(planFill(known(), row({ firstName: "Ann", lastName: "Lee" }), null)?.pii).toEqual({
      firstName: "Ann",
      lastName: "Lee",
    });
    expect(planFill(known(), row({ firstName: "Ann", lastName: "Lee" }), null)?.nameForIndex).toBe("ann lee");
    expect(planFill(known({ hasName: true }), row({ firstName: "Ann", lastName: "Lee" }), null)).toBeNull();
  });

  it("fills the vehicle as a unit, never mixing two", () => {
    const fill = planFill(known(), row({ vehicleYear: "2019", vehicleMake: "Honda" }), null);
    expect(fill?.pii).toEqual({
      vehicleYear: "2019",
      vehicleMake: "Honda",
      vehicleModel: null,
      vehicleTrim: null,
      vehicleVin: null,
    });
    expect(planFill(known({ hasVehicle: true }), row({ vehicleVin: "1HG" }), null)).toBeNull();
  });

  it("fills email (with its index), notes, source and assignee when empty; moves last activity forward only", () => {
    const fill = planFill(
      known({ lastActivityAt: new Date("2023-01-01") }),
      row({ email: "a@b.co", notes: "n", source: "Web", lastActivityAt: new Date("2024-01-01") }),
      "user-1",
    );
    expect(fill).toMatchObject({
      pii: { email: "a@b.co", notes: "n" },
      emailForIndex: "a@b.co",
      source: "Web",
      assignee: "user-1",
    });
    expect(fill?.lastActivityAt?.toISOString()).toBe("2024-01-01T00:00:00.000Z");
    expect(
      planFill(
        known({ lastActivityAt: new Date("2025-01-01") }),
        row({ lastActivityAt: new Date("2024-01-01") }),
        null,
      ),
    ).toBeNull();
  });

  it("fills the CRM id only when the lead has none, and never when that is not known", () => {
    expect(planFill(known(), row({ crmId: "DS-42" }), null)?.pii).toEqual({ crmId: "DS-42" });
    expect(planFill(known({ hasCrmId: true }), row({ crmId: "DS-42" }), null)).toBeNull();
    // A caller that does not say whether the lead has one (hasCrmId left out) never overwrites it.
    expect(planFill(known({ hasCrmId: undefined }), row({ crmId: "DS-42" }), null)).toBeNull();
  });

  it("never undoes an opt-out", () => {
    expect(planFill(known({ consent: "opted_out" }), row({ consent: "opted_in" }), null)).toBeNull();
    expect(planFill(known({ consent: "opted_in" }), row({ consent: "opted_out" }), null)?.consent).toBe("opted_out");
  });
});

describe("state bookkeeping", () => {
  it("tracks what a new lead and a fill leave filled, so later duplicate rows only fill what is still empty", () => {
    const state = stateOfNewLead("lead-2", row({ firstName: "Ann", consent: "opted_in" }), null);
    expect(state).toMatchObject({ hasName: true, hasEmail: false, hasCrmId: false, consent: "opted_in" });
    const fill = planFill(
      state,
      row({ firstName: "Other", email: "a@b.co", crmId: "DS-1", consent: "opted_out" }),
      "user-1",
    )!;
    applyFillToState(state, fill);
    expect(state).toMatchObject({
      hasName: true,
      hasEmail: true,
      hasCrmId: true,
      hasAssignee: true,
      consent: "opted_out",
    });
    expect(planFill(state, row({ email: "c@d.co", crmId: "DS-2" }), null)).toBeNull();
  });

  it("applies a fill to a lead not yet written", () => {
    const pending = row({ firstName: "Ann" });
    applyFillToLead(
      pending,
      planFill(
        stateOfNewLead("x", pending, null),
        row({ crmId: "DS-7", email: "a@b.co", consent: "opted_out", source: "Web" }),
        null,
      )!,
    );
    expect(pending).toMatchObject({
      crmId: "DS-7",
      firstName: "Ann",
      email: "a@b.co",
      consent: "opted_out",
      source: "Web",
      phone: "+13125550100",
    });
  });
});
