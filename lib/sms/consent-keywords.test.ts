import { describe, expect, it } from "vitest";
import { classifyConsentKeyword, consentSourceFor, normalizeKeyword } from "./consent-keywords";

describe("classifyConsentKeyword: keywords", () => {
  it.each([
    "STOP",
    "stop",
    " Stop ",
    "STOPALL",
    "stop all",
    "UNSUBSCRIBE",
    "cancel",
    "End",
    "QUIT",
    "optout",
    "Opt Out",
    "REVOKE",
    "Stop.",
    "STOP!",
  ])("%j opts out", (body) => {
    expect(classifyConsentKeyword(body)).toMatchObject({ action: "opt_out", decidedBy: "keyword", needsReview: false });
  });

  it.each(["START", "yes", " Unstop "])("%j opts back in", (body) => {
    expect(classifyConsentKeyword(body).action).toBe("opt_in");
  });

  it.each(["HELP", "info", "Help?"])("%j asks for help", (body) => {
    expect(classifyConsentKeyword(body).action).toBe("help");
  });
});

describe("classifyConsentKeyword: keyword variants are still the keyword", () => {
  it.each([
    ["zero-width joiner", "ST\u200dOP"],
    ["zero-width space", "S\u200bTOP"],
    ["soft hyphen", "ST\u00adOP"],
    ["word joiner and BOM", "\u2060\ufeffSTOP"],
    ["right-to-left mark", "\u200fstop\u200f"],
    ["repeated", "STOP STOP"],
    ["repeated without a space", "STOPSTOP"],
    ["repeated with commas", "stop, stop, stop"],
    ["trailing full stop", "Stop."],
    ["full-width", "ＳＴＯＰ"],
    ["full-width lower case", "ｓｔｏｐ"],
    ["leading space and exclamation marks", " stop!!"],
    ["emoji around it", "🛑 STOP 🛑"],
    ["emoji with variation selector", "STOP ✋🏽"],
    ["quoted", '"STOP"'],
    ["spaced letters", "s t o p"],
    ["hyphenated opt-out", "Opt-Out"],
    ["mathematical bold letters", "𝐒𝐓𝐎𝐏"],
    ["circled letters", "Ⓢⓣⓞⓟ"],
    ["non-breaking spaces", "\u00a0STOP\u00a0"],
    ["tab and newline", "\tstop\n"],
    ["two opt-out keywords", "stop unsubscribe"],
  ])("%s (%j) opts out as a keyword", (_name, body) => {
    expect(classifyConsentKeyword(body)).toMatchObject({ action: "opt_out", decidedBy: "keyword", needsReview: false });
  });

  it("an opt-out keyword beside another keyword still opts out", () => {
    expect(normalizeKeyword("YES STOP")).toBe("STOP");
    expect(normalizeKeyword("help stop")).toBe("STOP");
  });

  it.each([["ＳＴＡＲＴ"], ["St\u200dart"], ["START START"], ["start!"]])("%j opts back in", (body) => {
    expect(classifyConsentKeyword(body)).toMatchObject({ action: "opt_in", decidedBy: "keyword" });
  });
});

describe("classifyConsentKeyword: plain-words requests opt out and are flagged", () => {
  const english = [
    "stop sending me messages",
    "Stop sending me these texts!",
    "Please stop texting me",
    "stop texting me",
    "quit messaging me",
    "stop contacting me please",
    "take my number off your list",
    "Take me off your list.",
    "get me off this list",
    "I don't want these texts",
    "I don’t want any more messages",
    "i do not want your texts",
    "please remove me",
    "Remove me from your list",
    "remove my number",
    "delete my number please",
    "unsubscribe me",
    "how do I unsubscribe?",
    "I want to opt-out",
    "opt me out",
    "don't text me anymore",
    "Do not contact me again",
    "never text me again",
    "no more texts",
    "please stop",
    "Stop please",
    "stop it!",
    "lose my number",
    "leave me alone",
  ];
  const spanish = [
    "no me escriban más",
    "No me escriban mas",
    "bórrenme de su lista",
    "Borrenme de la lista por favor",
    "quítenme de su lista",
    "ya no quiero mensajes",
    "Ya no quiero recibir mensajes",
    "no quiero más mensajes",
    "dejen de mandarme mensajes",
    "Dejen de escribirme",
    "no me manden más mensajes",
    "no me envíen mensajes",
    "no me molesten",
    "no me contacten",
    "denme de baja",
    "Alto",
    "BAJA",
  ];

  it.each(english)("English %j", (body) => {
    expect(classifyConsentKeyword(body)).toMatchObject({
      action: "opt_out",
      decidedBy: "request",
      keyword: "en",
      needsReview: true,
    });
  });

  it.each(spanish)("Spanish %j", (body) => {
    expect(classifyConsentKeyword(body)).toMatchObject({
      action: "opt_out",
      decidedBy: "request",
      keyword: "es",
      needsReview: true,
    });
  });

  it("survives the same disguises as keywords", () => {
    expect(classifyConsentKeyword("ｓｔｏｐ ｓｅｎｄｉｎｇ ｍｅ ｍｅｓｓａｇｅｓ").action).toBe("opt_out");
    expect(classifyConsentKeyword("stop\u200d texting me").action).toBe("opt_out");
    expect(classifyConsentKeyword("NO ME ESCRIBAN MÁS 🙏").action).toBe("opt_out");
  });

  it("names its source by language", () => {
    expect(consentSourceFor(classifyConsentKeyword("stop sending me messages"))).toBe("sms_request:en");
    expect(consentSourceFor(classifyConsentKeyword("no me escriban más"))).toBe("sms_request:es");
  });
});

describe("classifyConsentKeyword: no false positives", () => {
  it.each([
    "don't stop sending me deals",
    "Don't stop texting me, I love the offers",
    "can you stop by at 3?",
    "I'll stop by tomorrow",
    "I can stop in on Saturday",
    "non-stop",
    "The non-stop flight was great",
    "Yes I'm still interested",
    "I'd like to cancel my appointment",
    "See you this weekend",
    "Is the truck still available?",
    "stopwatch",
    "Take me for a test drive Saturday",
    "can you remove the roof rack?",
    "no me manden la cotización todavía",
    "¿Me pueden mandar fotos del carro?",
    "Alto el precio, ¿tienen otro?",
    "the bus stop near the dealership",
    "don't remove me, I'm still looking",
    "I'm not going to unsubscribe, just busy",
    "end of the month works",
  ])("%j is not an opt-out", (body) => {
    expect(classifyConsentKeyword(body).action).toBe("none");
  });

  it.each([
    "don't stop sending me deals",
    "can you stop by at 3?",
    "I'll stop by tomorrow",
    "non-stop",
    "the bus stop near the dealership",
  ])("%j is not flagged either", (body) => {
    expect(classifyConsentKeyword(body).needsReview).toBe(false);
  });

  it.each([
    "can you STOP",
    "stop the car alarm at night, it keeps going off",
    "I'm not going to unsubscribe, just busy",
    "Please stop texting me so often, I will call you",
    "stop texting me so much",
    "stop messaging me at night",
    "stop sending me messages every day",
  ])("%j is flagged for a person but does not opt out", (body) => {
    expect(classifyConsentKeyword(body)).toMatchObject({ action: "none", needsReview: true });
  });
});

describe("Twilio's OptOutType", () => {
  it("is honoured over the body", () => {
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

describe("classifyConsentKeyword: requests found by the reply-triage corpus", () => {
  // Each of these was a plain request to stop that the rules missed (lib/triage/corpus/replies.v1.jsonl).
  it.each([
    "quit sending me these",
    "Stop sending me this crap",
    "dont send me any more texts",
    "don't send me these anymore",
    "put me on your do not contact list",
    "add me to your do not text list",
    "i want off this list",
    "cancel these texts",
    "cancel my subscription",
    "Remove this number from your list",
    "take this number off your list",
    "I'd like to be removed",
    "stoppp",
    "Stop please, I'm at work",
    "ya no me envíen nada",
  ])("%j opts out", (body) => {
    expect(classifyConsentKeyword(body)).toMatchObject({ action: "opt_out", decidedBy: "request" });
  });

  it.each([
    "stop sending me the price",
    "can you stop sending me pics of trucks",
    "stop sending me these every day",
    "don't stop sending me these deals",
    "dont send me the price yet",
    "I'd like to cancel my appointment",
    "I want off work early on Friday",
  ])("%j does not", (body) => {
    expect(classifyConsentKeyword(body).action).toBe("none");
  });
});
