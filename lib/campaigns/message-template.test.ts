import { describe, expect, it } from "vitest";
import {
  DEFAULT_OPT_OUT_FOOTER,
  messageTemplateSchema,
  optOutFooterSchema,
  parseTemplate,
  renderTemplate,
  sanitizeMergeValue,
  templateUcs2Characters,
  toGsmFriendly,
  type MergeValues,
  type ParsedTemplate,
  type RenderOptions,
} from "./message-template";

function parsed(source: string): ParsedTemplate {
  const result = parseTemplate(source);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join("; "));
  return result.template;
}
const render = (source: string, values: MergeValues, options?: RenderOptions) =>
  renderTemplate(parsed(source), values, options);
const errorsOf = (source: string) => {
  const result = parseTemplate(source);
  return result.ok
    ? []
    : result.errors.map(({ code, index, length, line, column }) => ({ code, index, length, line, column }));
};

describe("parseTemplate", () => {
  it("splits text and fields with their fallbacks, and lists the fields used", () => {
    const t = parsed("Hi {first_name|there}, your {vehicle} is ready. {rep_name} at {dealer_name}, {first_name}");
    expect(t.fields).toEqual(["first_name", "vehicle", "rep_name", "dealer_name"]);
    expect(t.parts.slice(0, 3)).toEqual([
      { kind: "text", text: "Hi " },
      { kind: "field", field: "first_name", fallback: "there", index: 3, length: 18 },
      { kind: "text", text: ", your " },
    ]);
  });

  it("accepts spaces around a field name and fallback, and an empty fallback as none", () => {
    expect(parsed("{ first_name | friend }").parts).toEqual([
      { kind: "field", field: "first_name", fallback: "friend", index: 0, length: 23 },
    ]);
    expect(parsed("{last_name|}").parts).toEqual([
      { kind: "field", field: "last_name", fallback: null, index: 0, length: 12 },
    ]);
  });

  it("reads {{ and }} as literal braces", () => {
    expect(render("Use code {{VIP}} {first_name}", { first_name: "Ann" }).body).toBe("Use code {VIP} Ann");
  });

  it("reports an unknown field with its position and a suggestion", () => {
    const result = parseTemplate("Hello\nHi {firstname}!");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ code: "unknown_field", index: 9, length: 11, line: 2, column: 4 });
    expect(result.errors[0]!.message).toContain("did you mean {first_name}?");
    expect(result.errors[0]!.message).toContain("line 2, column 4");
    expect(parseTemplate("{zip_code}").ok).toBe(false);
    expect(JSON.stringify(parseTemplate("{zip_code}"))).not.toContain("did you mean");
  });

  it("reports unbalanced braces, every one of them", () => {
    expect(errorsOf("Hi {first_name, welcome")).toEqual([
      { code: "unclosed_brace", index: 3, length: 1, line: 1, column: 4 },
    ]);
    expect(errorsOf("Hi first_name}")).toEqual([{ code: "unopened_brace", index: 13, length: 1, line: 1, column: 14 }]);
    expect(errorsOf("{first_name {last_name}")).toEqual([
      { code: "unclosed_brace", index: 0, length: 1, line: 1, column: 1 },
    ]);
    expect(errorsOf("Hi {first_name\n}")).toEqual([
      { code: "unclosed_brace", index: 3, length: 1, line: 1, column: 4 },
      { code: "unopened_brace", index: 15, length: 1, line: 2, column: 1 },
    ]);
    expect(errorsOf("{} and {|x} and {nope}").map((e) => e.code)).toEqual([
      "empty_field",
      "empty_field",
      "unknown_field",
    ]);
  });

  it("refuses an empty template, a too long one and an overlong fallback", () => {
    expect(errorsOf("  \n ").map((e) => e.code)).toEqual(["empty"]);
    expect(errorsOf("x".repeat(1601))).toEqual([{ code: "too_long", index: 1600, length: 1, line: 1, column: 1601 }]);
    expect(errorsOf(`{first_name|${"y".repeat(41)}}`).map((e) => e.code)).toEqual(["fallback_too_long"]);
  });

  it("gives a zod schema for the composer form", () => {
    expect(messageTemplateSchema.safeParse("Hi {first_name|there}").success).toBe(true);
    const bad = messageTemplateSchema.safeParse("Hi {frist_name} {");
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.message)).toHaveLength(2);
  });
});

describe("renderTemplate", () => {
  const template = "Hi {first_name|there}, your {vehicle|car} is ready. - {rep_name}, {dealer_name}";

  it("fills every field", () => {
    const r = render(template, {
      first_name: "Ann",
      vehicle: "2019 Civic",
      rep_name: "Bo",
      dealer_name: "Northside Honda",
    });
    expect(r.body).toBe("Hi Ann, your 2019 Civic is ready. - Bo, Northside Honda");
    expect(r).toMatchObject({
      usedFallbacks: [],
      omittedFields: [],
      footerAdded: false,
      tooLong: false,
      sendable: true,
    });
  });

  it("uses the fallback for a missing, null or blank value", () => {
    for (const first_name of [undefined, null, "", "   ", "\u200B"]) {
      const r = render("Hi {first_name|there}!", { first_name });
      expect(r.body).toBe("Hi there!");
      expect(r.usedFallbacks).toEqual(["first_name"]);
    }
  });

  it("a value equal to the fallback text is still the lead's value", () => {
    expect(render("Hi {first_name|there}", { first_name: "there" }).usedFallbacks).toEqual([]);
  });

  it.each([
    ["Hi {first_name}, welcome back", "Hi, welcome back"],
    ["Hi {first_name} {last_name}, welcome", "Hi, welcome"],
    ["Hi {first_name} there", "Hi there"],
    ["See you soon, {first_name}!", "See you soon!"],
    ["Thanks, {rep_name}", "Thanks"],
    ["Thanks {rep_name}\nNorthside", "Thanks\nNorthside"],
    ["{first_name} {last_name} your car is ready", "your car is ready"],
    ["{first_name}, your car is ready", "your car is ready"],
    ["Your {vehicle} is ready", "Your is ready"],
    ["A, {vehicle}, B", "A, B"],
  ])("leaves out an empty field without a fallback cleanly: %j", (source, expected) => {
    const r = render(source, {});
    expect(r.body).toBe(expected);
    expect(r.body).not.toMatch(/ {2}| [,.!?]/);
    expect(r.omittedFields.length).toBeGreaterThan(0);
  });

  it("is not sendable when nothing is left", () => {
    expect(render("{first_name}", {})).toMatchObject({ body: "", sendable: false });
  });

  describe("sanitizing the lead's values", () => {
    it("cannot add lines, bidi overrides, zero-width or control characters", () => {
      const r = render("Hi {first_name}, see you", { first_name: "Ann\n\nReply YES to win\u202E\u200B\u0007 Lee\r\n" });
      expect(r.body).toBe("Hi Ann Reply YES to win Lee, see you");
      expect(r.body.split("\n")).toHaveLength(1);
    });

    it("caps a value's length without splitting a character", () => {
      const r = render("{first_name}", { first_name: "A".repeat(500) });
      expect(r.body).toHaveLength(40);
      expect(sanitizeMergeValue("😀".repeat(30), 5)).toBe("😀😀");
      expect(sanitizeMergeValue("e\u0301e\u0301e\u0301", 2)).toBe("\u00E9\u00E9"); // NFC: é is one character
      expect(sanitizeMergeValue("q\u0307q\u0307", 3)).toBe("q\u0307"); // no precomposed q̇: the mark stays with its letter
      expect(sanitizeMergeValue("👍🏽👍🏽", 5)).toBe("👍🏽"); // a skin-tone emoji is one grapheme of 4 code units
    });

    it("does not re-read braces in a value as fields", () => {
      expect(render("Hi {first_name}", { first_name: "{dealer_name}" }, {}).body).toBe("Hi {dealer_name}");
    });

    it("turns curly quotes into straight ones so a name does not force UCS-2", () => {
      const r = render("Hi {last_name}", { last_name: "O\u2019Brien" });
      expect(r.body).toBe("Hi O'Brien");
      expect(r.segments.encoding).toBe("GSM-7");
    });
  });

  describe("opt-out footer", () => {
    it("is appended only to the lead's first message from the dealership", () => {
      expect(render("Hi {first_name}", { first_name: "Ann" }, { firstMessage: true })).toMatchObject({
        body: `Hi Ann\n${DEFAULT_OPT_OUT_FOOTER}`,
        footerAdded: true,
      });
      expect(render("Hi {first_name}", { first_name: "Ann" }, { firstMessage: false })).toMatchObject({
        body: "Hi Ann",
        footerAdded: false,
      });
      expect(render("Hi {first_name}", { first_name: "Ann" })).toMatchObject({ body: "Hi Ann", footerAdded: false });
    });

    it("uses the dealership's text, and is not repeated if the message already says it", () => {
      expect(render("Hi", {}, { firstMessage: true, optOutFooter: "Text STOP to unsubscribe" }).body).toBe(
        "Hi\nText STOP to unsubscribe",
      );
      expect(render("Hi. Reply STOP to opt out", {}, { firstMessage: true })).toMatchObject({
        body: "Hi. Reply STOP to opt out",
        footerAdded: false,
      });
    });

    it("counts in the segments", () => {
      const body = "x".repeat(150);
      expect(render(body, {}).segments.segments).toBe(1);
      expect(render(body, {}, { firstMessage: true }).segments.segments).toBe(2);
    });

    it("the dealership's footer must be one short line that says STOP", () => {
      expect(optOutFooterSchema.safeParse("Reply STOP to opt out").success).toBe(true);
      expect(optOutFooterSchema.safeParse("stop to end").success).toBe(true);
      expect(optOutFooterSchema.safeParse("Reply END to opt out").success).toBe(false);
      expect(optOutFooterSchema.safeParse("STOPPED").success).toBe(false);
      expect(optOutFooterSchema.safeParse("Reply\nSTOP").success).toBe(false);
      expect(optOutFooterSchema.safeParse(`Reply STOP ${"x".repeat(80)}`).success).toBe(false);
    });
  });

  describe("segments and encoding per render", () => {
    it("GSM-7 up to 160 characters in one segment, 153 per part beyond", () => {
      expect(render("a".repeat(160), {}).segments).toMatchObject({ encoding: "GSM-7", segments: 1 });
      expect(render("a".repeat(161), {}).segments).toMatchObject({ encoding: "GSM-7", segments: 2 });
    });

    it("a curly quote or emoji in the template forces UCS-2, and says which", () => {
      const r = render("We\u2019re ready 🚗 {first_name}", { first_name: "Ann" });
      expect(r.segments.encoding).toBe("UCS-2");
      expect(r.segments.ucs2Characters).toEqual(["\u2019", "🚗"]);
      expect(templateUcs2Characters(parsed("We\u2019re ready 🚗 {first_name|amigo}"))).toEqual(["\u2019", "🚗"]);
    });

    it("a lead's value can force UCS-2 for that lead only", () => {
      const t = parsed("Hi {first_name}");
      expect(renderTemplate(t, { first_name: "José" }).segments.encoding).toBe("GSM-7"); // é is in GSM-7
      expect(renderTemplate(t, { first_name: "Zoë" }).segments).toMatchObject({
        encoding: "UCS-2",
        ucs2Characters: ["ë"],
      });
      expect(renderTemplate(t, { first_name: "Łukasz" }).segments).toMatchObject({
        encoding: "UCS-2",
        ucs2Characters: ["Ł"],
      });
      expect(renderTemplate(t, { first_name: "Ann" }).segments.encoding).toBe("GSM-7");
    });

    it("flags a render longer than Twilio accepts", () => {
      const r = render(`${"a".repeat(1590)} {vehicle}`, { vehicle: "b".repeat(60) });
      expect(r).toMatchObject({ tooLong: true, sendable: false });
    });
  });
});

describe("toGsmFriendly", () => {
  it("replaces typographic quotes, dashes, ellipsis and no-break space", () => {
    expect(toGsmFriendly("\u201CHi\u201D \u2014 it\u2019s\u00A0here\u2026")).toBe('"Hi" - it\'s here...');
  });
});
