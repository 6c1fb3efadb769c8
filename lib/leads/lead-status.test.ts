import { describe, expect, it } from "vitest";
import { CONSENT_STATUS_LABELS, CONSENT_STATUSES, LEAD_STATUS_LABELS, LEAD_STATUSES } from "./lead-status";
import { OPTED_OUT_MESSAGE, staffStatusChange } from "./staff-status-change";

describe("lead status", () => {
  it("labels every status and consent status", () => {
    expect(Object.keys(LEAD_STATUS_LABELS)).toEqual([...LEAD_STATUSES]);
    expect(Object.keys(CONSENT_STATUS_LABELS)).toEqual([...CONSENT_STATUSES]);
  });

  it("opting out is one fact: either field set to opted out sets both", () => {
    expect(staffStatusChange({ consentStatus: "unknown" }, { status: "opted_out", consentStatus: "opted_in" })).toEqual(
      { status: "opted_out", consentStatus: "opted_out" },
    );
    expect(staffStatusChange({ consentStatus: "opted_in" }, { status: "sold", consentStatus: "opted_out" })).toEqual({
      status: "opted_out",
      consentStatus: "opted_out",
    });
    expect(staffStatusChange({ consentStatus: "unknown" }, { status: "engaged", consentStatus: "opted_in" })).toEqual({
      status: "engaged",
      consentStatus: "opted_in",
    });
  });

  it("staff cannot move an opted-out lead's status or consent", () => {
    for (const requested of [
      { status: "engaged", consentStatus: "opted_out" },
      { status: "opted_out", consentStatus: "opted_in" },
      { status: "opted_out", consentStatus: "unknown" },
    ] as const) {
      expect(() => staffStatusChange({ consentStatus: "opted_out" }, requested)).toThrow(OPTED_OUT_MESSAGE);
    }
    expect(
      staffStatusChange({ consentStatus: "opted_out" }, { status: "opted_out", consentStatus: "opted_out" }),
    ).toEqual({ status: "opted_out", consentStatus: "opted_out" });
  });
});
