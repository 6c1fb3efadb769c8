/**
 * Campaign message templates: `Hi {first_name|there}, your {vehicle} is ready. {rep_name}`.
 *
 * - parseTemplate checks a template for the composer: unknown fields and unbalanced braces are
 *   errors with their position (UTF-16 index, as a textarea's selectionStart, plus line/column).
 *   `{{` and `}}` write literal braces.
 * - renderTemplate fills it for one lead with values already decrypted. A value is sanitized
 *   first (control and invisible format characters removed, whitespace collapsed, length capped)
 *   so a lead's name cannot add lines, bidi tricks or a page of text. An empty value takes the
 *   field's fallback; with none, the field is left out and the spaces around it are tidied.
 * - The opt-out footer is appended only when the caller says this is the first message the lead
 *   ever receives from the dealership (the caller knows; this module does no I/O).
 * - Every render reports its segments and encoding with the inbox's counter (lib/sms/segments.ts),
 *   including the characters that force UCS-2.
 */
import { z } from "zod";
import { MAX_BODY_CHARS } from "@/lib/sms/message-limits";
import { countSmsSegments, type SegmentCount } from "@/lib/sms/segments";

/** The merge fields a template may use. */
export const MERGE_FIELDS = ["first_name", "last_name", "vehicle", "dealer_name", "rep_name"] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

/** The longest value a field contributes (characters, after sanitizing). */
export const MERGE_FIELD_MAX_LENGTH: Readonly<Record<MergeField, number>> = {
  first_name: 40,
  last_name: 40,
  vehicle: 60,
  dealer_name: 60,
  rep_name: 40,
};
/** The longest fallback text. */
export const MAX_FALLBACK_LENGTH = 40;

/** CTIA-style opt-out instruction, appended to a lead's first message from the dealership. */
export const DEFAULT_OPT_OUT_FOOTER = "Reply STOP to opt out";

/** A dealership's own footer text: short, one line, and it must tell how to opt out. */
export const optOutFooterSchema = z
  .string()
  .trim()
  .min(1, "Enter the opt-out text")
  .max(80, "Keep the opt-out text under 80 characters")
  .refine((t) => !/[\r\n]/.test(t), "The opt-out text must be one line")
  .refine((t) => /\bSTOP\b/i.test(t), 'The opt-out text must tell people to reply "STOP"');

/** A piece of a parsed template. */
export type TemplatePart =
  | { kind: "text"; text: string }
  | { kind: "field"; field: MergeField; fallback: string | null; index: number; length: number };

/** A template that parsed without errors. */
export interface ParsedTemplate {
  source: string;
  parts: readonly TemplatePart[];
  /** The fields it uses, each once, in order of first use. */
  fields: readonly MergeField[];
}

export type TemplateErrorCode =
  "empty" | "too_long" | "unclosed_brace" | "unopened_brace" | "empty_field" | "unknown_field" | "fallback_too_long";

/** A problem in a template, where it is and what to do, for the composer form. */
export interface TemplateError {
  code: TemplateErrorCode;
  message: string;
  /** UTF-16 offset into the template and length of the offending text. */
  index: number;
  length: number;
  /** 1-based, for people. */
  line: number;
  column: number;
}

export type TemplateParseResult = { ok: true; template: ParsedTemplate } | { ok: false; errors: TemplateError[] };

const FIELD_LIST = MERGE_FIELDS.map((f) => `{${f}}`).join(", ");

function lineAndColumn(source: string, index: number): { line: number; column: number } {
  const before = source.slice(0, index).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The known field closest to a misspelt one, if it is close enough to be a typo. */
function closestField(name: string): MergeField | null {
  const normalized = name.toLowerCase().replace(/[\s-]+/g, "_");
  let best: MergeField | null = null;
  let bestDistance = Infinity;
  for (const f of MERGE_FIELDS) {
    const d = editDistance(normalized, f);
    if (d < bestDistance) [best, bestDistance] = [f, d];
  }
  return bestDistance <= 3 ? best : null;
}

/** Parse and check a template; every error is reported, not just the first. */
export function parseTemplate(source: string): TemplateParseResult {
  const errors: TemplateError[] = [];
  const fail = (code: TemplateErrorCode, message: string, index: number, length: number) => {
    const { line, column } = lineAndColumn(source, index);
    errors.push({ code, message: `${message} (line ${line}, column ${column})`, index, length, line, column });
  };
  if (source.trim() === "") fail("empty", "Write a message", 0, 0);

  const parts: TemplatePart[] = [];
  const fields: MergeField[] = [];
  let text = "";
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if ((ch === "{" || ch === "}") && source[i + 1] === ch) {
      text += ch;
      i += 2;
      continue;
    }
    if (ch === "}") {
      fail("unopened_brace", 'This "}" closes nothing; write "}}" for a literal brace', i, 1);
      i += 1;
      continue;
    }
    if (ch !== "{") {
      text += ch;
      i += 1;
      continue;
    }
    // A field: up to the next "}", which must come before another "{" or a line break.
    let close = i + 1;
    while (close < source.length && source[close] !== "}" && source[close] !== "{" && source[close] !== "\n") close++;
    if (source[close] !== "}") {
      fail(
        "unclosed_brace",
        'This "{" is never closed; end the field with "}" or write "{{" for a literal brace',
        i,
        1,
      );
      i += 1;
      continue;
    }
    const inner = source.slice(i + 1, close);
    const bar = inner.indexOf("|");
    const name = (bar === -1 ? inner : inner.slice(0, bar)).trim();
    const fallback = bar === -1 ? null : inner.slice(bar + 1).trim();
    const length = close - i + 1;
    if (name === "") {
      fail("empty_field", `A field needs a name, one of ${FIELD_LIST}`, i, length);
    } else if (!(MERGE_FIELDS as readonly string[]).includes(name)) {
      const suggestion = closestField(name);
      fail(
        "unknown_field",
        `Unknown field {${name}}${suggestion ? `; did you mean {${suggestion}}?` : ""} Fields: ${FIELD_LIST}`,
        i,
        length,
      );
    } else if (fallback !== null && fallback.length > MAX_FALLBACK_LENGTH) {
      fail(
        "fallback_too_long",
        `The fallback of {${name}} is longer than ${MAX_FALLBACK_LENGTH} characters`,
        i,
        length,
      );
    } else {
      if (text) parts.push({ kind: "text", text });
      text = "";
      const field = name as MergeField;
      // The fallback goes into messages as written, minus what no message should carry.
      const cleanFallback = fallback === null ? "" : sanitizeMergeValue(fallback, MAX_FALLBACK_LENGTH);
      parts.push({ kind: "field", field, fallback: cleanFallback === "" ? null : cleanFallback, index: i, length });
      if (!fields.includes(field)) fields.push(field);
    }
    i = close + 1;
  }
  if (text) parts.push({ kind: "text", text });
  if (source.length > MAX_BODY_CHARS)
    fail(
      "too_long",
      `A message can be at most ${MAX_BODY_CHARS} characters`,
      MAX_BODY_CHARS,
      source.length - MAX_BODY_CHARS,
    );
  return errors.length > 0 ? { ok: false, errors } : { ok: true, template: { source, parts, fields } };
}

/** A zod string that must be a valid template; each template error becomes an issue. */
export const messageTemplateSchema = z.string().superRefine((source, ctx) => {
  const result = parseTemplate(source);
  if (!result.ok)
    for (const e of result.errors)
      ctx.addIssue({ code: "custom", message: e.message, params: { index: e.index, length: e.length } });
});

// Typographic characters that force the whole message into UCS-2 (70 characters a segment instead
// of 160) and have a GSM-7 twin that reads the same.
const GSM_TWINS: Readonly<Record<string, string>> = {
  "\u2018": "'",
  "\u2019": "'",
  "\u201A": "'",
  "\u201B": "'",
  "\u2032": "'",
  "\u201C": '"',
  "\u201D": '"',
  "\u201E": '"',
  "\u201F": '"',
  "\u2033": '"',
  "\u2013": "-",
  "\u2014": "-",
  "\u2212": "-",
  "\u2026": "...",
  "\u00A0": " ",
};

/** Replace curly quotes, dashes, ellipses and no-break spaces by their GSM-7 twins. */
export function toGsmFriendly(text: string): string {
  return text.replace(
    /[\u2018\u2019\u201A\u201B\u2032\u201C\u201D\u201E\u201F\u2033\u2013\u2014\u2212\u2026\u00A0]/g,
    (c) => GSM_TWINS[c]!,
  );
}

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/**
 * Make a lead's value safe to put in a message: NFC, line breaks and tabs become spaces, control,
 * invisible format (bidi overrides, zero-width), private-use and unpaired surrogate characters go,
 * whitespace collapses, typographic quotes become GSM-7 ones, and the result is cut to `maxLength`
 * characters without splitting a character (or an accent from its letter).
 */
export function sanitizeMergeValue(value: string | null | undefined, maxLength: number): string {
  if (!value) return "";
  const cleaned = toGsmFriendly(
    value
      .normalize("NFC")
      .replace(/[\p{Zl}\p{Zp}\t\n\r\v\f]/gu, " ")
      .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu, ""),
  )
    .replace(/\s+/g, " ")
    .trim();
  let out = "";
  for (const { segment } of graphemes.segment(cleaned)) {
    if (out.length + segment.length > maxLength) break;
    out += segment;
  }
  return out.trimEnd();
}

/** The lead's values, already decrypted; missing, null and blank all mean "no value". */
export type MergeValues = Partial<Record<MergeField, string | null>>;

export interface RenderOptions {
  /** True only for the first message this lead ever receives from the dealership. */
  firstMessage?: boolean;
  /** The dealership's footer text (default "Reply STOP to opt out"). */
  optOutFooter?: string;
}

/** One rendered message and what it costs. */
export interface RenderedMessage {
  body: string;
  segments: SegmentCount;
  footerAdded: boolean;
  /** Fields that took their fallback, and fields left out for want of a value. */
  usedFallbacks: MergeField[];
  omittedFields: MergeField[];
  /** Longer than Twilio accepts (MAX_BODY_CHARS); the composer must refuse it. */
  tooLong: boolean;
  /** Not empty and not too long: the send worker must not send an unsendable render. */
  sendable: boolean;
}

/**
 * Join the text before and after a left-out field without a double space, a space before
 * punctuation or a dangling comma: "Hi {first_name}, welcome" -> "Hi, welcome", "See you soon,
 * {first_name}!" -> "See you soon!", "{first_name} {last_name} is" -> "is" at the start of a line.
 */
function joinAcrossGap(before: string, after: string): string {
  if (before === "" || before.endsWith("\n")) return before + after.replace(/^[ \t]*(?:[,;:][ \t]*)?/, "");
  if (/^[ \t]*[,.;:!?)]/.test(after))
    return before.replace(/[ \t]*(?:[,;:][ \t]*)?$/, "") + after.replace(/^[ \t]+/, "");
  if (/^[ \t]*(?:\r?\n|$)/.test(after))
    return before.replace(/[ \t]*(?:[,;:][ \t]*)?$/, "") + after.replace(/^[ \t]+/, "");
  if (/[ \t]$/.test(before) && /^[ \t]/.test(after)) return before.replace(/[ \t]+$/, "") + after;
  return before + after;
}

/** Fill a parsed template for one lead, append the footer if asked, and count segments. */
export function renderTemplate(
  template: ParsedTemplate,
  values: MergeValues,
  options: RenderOptions = {},
): RenderedMessage {
  const usedFallbacks: MergeField[] = [];
  const omittedFields: MergeField[] = [];
  let body = "";
  let gap = false; // a field was just left out
  for (const part of template.parts) {
    if (part.kind === "text") {
      body = gap ? joinAcrossGap(body, part.text) : body + part.text;
      gap = false;
      continue;
    }
    const value = sanitizeMergeValue(values[part.field], MERGE_FIELD_MAX_LENGTH[part.field]);
    if (value) body += value;
    else if (part.fallback) {
      body += part.fallback;
      usedFallbacks.push(part.field);
    } else {
      omittedFields.push(part.field);
      gap = true;
      continue;
    }
    gap = false;
  }
  if (gap) body = joinAcrossGap(body, "");

  const footer = (options.optOutFooter ?? DEFAULT_OPT_OUT_FOOTER).trim();
  const footerAdded =
    options.firstMessage === true && footer !== "" && !body.toLowerCase().includes(footer.toLowerCase());
  if (footerAdded) body = body.trim() === "" ? footer : `${body.replace(/\s+$/, "")}\n${footer}`;

  const tooLong = body.length > MAX_BODY_CHARS;
  return {
    body,
    segments: countSmsSegments(body),
    footerAdded,
    usedFallbacks,
    omittedFields,
    tooLong,
    sendable: body.trim() !== "" && !tooLong,
  };
}

/** The characters of the template's own text (not the leads' values) that force UCS-2: the composer's warning. */
export function templateUcs2Characters(template: ParsedTemplate): string[] {
  const staticText = template.parts.map((p) => (p.kind === "text" ? p.text : (p.fallback ?? ""))).join("");
  return countSmsSegments(staticText).ucs2Characters;
}
