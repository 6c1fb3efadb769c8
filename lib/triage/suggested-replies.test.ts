import { describe, expect, it } from "vitest";
import { INTENTS } from "./intents";
import { fillReplyTemplate, replyTemplateSchema, suggestReply, UNANSWERED_INTENTS } from "./suggested-replies";

const values = { first_name: "Ana", dealer_name: "Northside Motors", rep_name: "Sam", date: "Thu, Mar 5, 9:00 AM" };

describe("suggestReply", () => {
  it("fills a default for every answerable intent in both languages, and none for the rest", () => {
    for (const intent of INTENTS) {
      for (const language of ["en", "es"] as const) {
        const text = suggestReply({ intent, language, dealershipTemplate: null, values });
        if (UNANSWERED_INTENTS.includes(intent)) expect(text).toBeNull();
        else {
          expect(text, `${intent}/${language}`).toBeTruthy();
          expect(text).not.toMatch(/[{}]/);
        }
      }
    }
  });

  it("uses the dealership's template, its merge fields and the reply's date", () => {
    expect(
      suggestReply({
        intent: "appointment",
        language: "en",
        dealershipTemplate: "See you {date|soon}, {first_name|friend}! {rep_name}",
        values,
      }),
    ).toBe("See you Thu, Mar 5, 9:00 AM, Ana! Sam");
    expect(fillReplyTemplate("See you {date|soon}, {first_name|friend}!", {})).toBe("See you soon, friend!");
  });

  it("keeps a lead's name from adding lines or braces", () => {
    expect(fillReplyTemplate("Hi {first_name}!", { first_name: "Ana\n\u202eEvil {x}" })).not.toMatch(/\n|\u202e/);
  });
});

describe("replyTemplateSchema", () => {
  it("accepts the composer's fields and {date}, and refuses unknown fields", () => {
    expect(replyTemplateSchema.safeParse("Hi {first_name|there}, see you {date}").success).toBe(true);
    expect(replyTemplateSchema.safeParse("Hi {nickname}").success).toBe(false);
    expect(replyTemplateSchema.safeParse("   ").success).toBe(false);
  });
});
