import { describe, expect, it } from "vitest";
import { classifyConsentKeyword, consentSourceFor } from "./consent-keywords";

describe("classifyConsentKeyword", () => {
  it.each(["STOP", "stop", " Stop ", "STOPALL", "stop all", "UNSUBSCRIBE", "cancel", "End", "QUIT", "optout", "Opt Out", "REVOKE", "Stop.", "STOP!"])(
    "%j opts out",
    (body) => {
      expect(classifyConsentKeyword(body)).toMatchObject({ action: "opt_out", needsReview: false });
    },
  );

  it.each(["START", "yes", " Unstop "])("%j opts back in", (body) => {
    expect(classifyConsentKeyword(body).action).toBe("opt_in");
  });

  it.each(["HELP", "info", "Help?"])("%j asks for help", (body) => {
    expect(classifyConsentKeyword(body).action).toBe("help");
  });

  it.each(["Please stop texting me", "can you STOP", "how do I unsubscribe?", "remove me from your list", "I want to opt-out"])(
    "%j is not an opt-out but is flagged for a human",
    (body) => {
      expect(classifyConsentKeyword(body)).toMatchObject({ action: "none", needsReview: true });
    },
  );

  it.each(["Yes I'm still interested", "I'd like to cancel my appointment", "See you this weekend", "Is the truck still available?", "stopwatch"])(
    "%j is an ordinary reply",
    (body) => {
      expect(classifyConsentKeyword(body)).toMatchObject({ action: "none", needsReview: false });
    },
  );

  it("honours Twilio's OptOutType over the body", () => {
    expect(classifyConsentKeyword("ARRET", "STOP")).toMatchObject({ action: "opt_out", decidedBy: "opt_out_type" });
    expect(classifyConsentKeyword("whatever", "start")).toMatchObject({ action: "opt_in" });
    expect(classifyConsentKeyword("Please stop", "HELP").action).toBe("help");
    expect(classifyConsentKeyword("STOP", "UNKNOWN_TYPE")).toMatchObject({ action: "opt_out", decidedBy: "keyword" });
  });

  it("names its source", () => {
    expect(consentSourceFor(classifyConsentKeyword("stop"))).toBe("sms_keyword:STOP");
    expect(consentSourceFor(classifyConsentKeyword("x", "STOP"))).toBe("twilio_opt_out_type:STOP");
  });
});
