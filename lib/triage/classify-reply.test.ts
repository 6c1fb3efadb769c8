import { describe, expect, it } from "vitest";
import { classifyReplyIntent, triageReply } from "./classify-reply";
import { INTENTS, NEEDS_PERSON_INTENTS } from "./intents";

const intentOf = (text: string) => classifyReplyIntent(text).intent;

describe("the embedded classifier on tricky replies", () => {
  it("tells a later time from a plain no (negation)", () => {
    expect(intentOf("not interested right now")).toBe("not_now");
    expect(intentOf("Not interested right now, maybe in the spring")).toBe("not_now");
    expect(intentOf("not interested")).toBe("not_interested");
    expect(intentOf("Not interested, thanks")).toBe("not_interested");
    expect(intentOf("no me interesa")).toBe("not_interested");
    expect(intentOf("sí, me interesa")).toBe("interested");
  });

  it("finds an opt-out buried in a sentence, and it outranks everything else", () => {
    expect(intentOf("I already bought a truck last month so please stop texting me")).toBe("opt_out");
    expect(intentOf("you people are crooks, take my number off your list")).toBe("opt_out");
    expect(intentOf("Wrong number. Don't text me again")).toBe("opt_out");
    expect(classifyReplyIntent("stop texting me").source).toBe("rule");
    // The same reading as the webhook's consent path: "stop by" is a visit, not an opt-out.
    expect(intentOf("can I stop by Saturday at 10?")).toBe("appointment");
    expect(intentOf("Please stop texting me so often")).not.toBe("opt_out");
  });

  it("reads Spanish", () => {
    expect(intentOf("no me escriban más")).toBe("opt_out");
    expect(intentOf("este no es el número de Ana")).toBe("wrong_number");
    expect(intentOf("ya tenemos carro nuevo")).toBe("already_bought");
    expect(intentOf("mejor llámenme")).toBe("call_me");
    expect(intentOf("¿cuánto cuesta la Tahoe?")).toBe("question");
    expect(intentOf("ahorita no, tal vez en marzo")).toBe("not_now");
    expect(classifyReplyIntent("ahorita no, tal vez en marzo").language).toBe("es");
  });

  it("sorts replies that are only emoji", () => {
    expect(intentOf("🙏")).toBe("other");
    expect(intentOf("👍🏽")).toBe("other");
    expect(intentOf("🖕")).toBe("hostile");
    expect(intentOf("🤬🤬")).toBe("hostile");
  });

  it("survives typos, slang and missing punctuation", () => {
    expect(intentOf("cal me pls")).toBe("call_me");
    expect(intentOf("wrng number")).toBe("wrong_number");
    expect(intentOf("alrdy bought one")).toBe("already_bought");
  });

  it("recognises the issue's examples", () => {
    expect(intentOf("quit sending me these")).toBe("opt_out");
    expect(intentOf("you've got the wrong guy")).toBe("wrong_number");
    expect(intentOf("[Auto Reply] I'm on vacation until the 12th")).toBe("auto_reply");
    expect(intentOf("you guys are a bunch of crooks")).toBe("hostile");
    expect(intentOf("picked up an Accord at another lot")).toBe("already_bought");
    expect(intentOf("could I swing by Wednesday around 3?")).toBe("appointment");
    expect(intentOf("just call my cell")).toBe("call_me");
    expect(intentOf("what's the monthly on the Tahoe?")).toBe("question");
    expect(intentOf("check back with me in March")).toBe("not_now");
    expect(intentOf("we're good, thank you")).toBe("not_interested");
    expect(intentOf("yep still shopping for a minivan")).toBe("interested");
    expect(intentOf("cool")).toBe("other");
  });

  it("gives one known intent and a confidence in 0-1 for anything, empty and huge included", () => {
    for (const text of [
      "",
      "   ",
      "\u200d",
      "a".repeat(5000),
      "🚗".repeat(300),
      "<script>alert(1)</script>",
      "12345",
    ]) {
      const v = classifyReplyIntent(text);
      expect(INTENTS).toContain(v.intent);
      expect(v.confidence).toBeGreaterThanOrEqual(0);
      expect(v.confidence).toBeLessThanOrEqual(1);
    }
  });
});

describe("triageReply", () => {
  const context = { now: new Date("2026-03-02T15:00:00Z"), timeZone: "America/Chicago" };

  it("reads the date of a not_now and an appointment in the dealership's zone", () => {
    expect(triageReply("check back with me in March next year", context)).toMatchObject({ intent: "not_now" });
    const visit = triageReply("Can I come in Thursday morning for a test drive?", context);
    expect(visit.intent).toBe("appointment");
    expect(visit.date?.iso).toBe("2026-03-05T09:00:00-06:00");
  });

  it("reads no date for other intents", () => {
    expect(triageReply("call me Thursday morning", context)).toMatchObject({ intent: "call_me", date: null });
  });
});

describe("the needs-a-person queue", () => {
  it("holds exactly the intents the issue names", () => {
    expect([...NEEDS_PERSON_INTENTS].sort()).toEqual(["appointment", "call_me", "hostile", "interested", "question"]);
  });
});
