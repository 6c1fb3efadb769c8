/**
 * Consent in inbound SMS. A message that is only a keyword counts, however it is dressed up:
 * case, spaces, punctuation and emoji at the edges, Unicode look-alikes (full-width "ＳＴＯＰ"),
 * invisible format characters ("ST\u200dOP") and repeats ("STOP STOP") are all ignored. Beyond the
 * keywords, a plain request to stop ("stop sending me messages", "no me escriban más") opts the
 * lead out too and is flagged for a person (lib/sms/opt-out-requests.ts); "stop" merely mentioned
 * in a sentence is only flagged. Twilio's OptOutType parameter (sent when Advanced Opt-Out
 * recognised a keyword, possibly a custom one) wins over our own reading. Pure; no I/O.
 */
import { detectOptOutRequest, mentionsOptingOut } from "./opt-out-requests";

export type ConsentAction = "opt_out" | "opt_in" | "help" | "none";

/** How an inbound message affects consent. */
export interface ConsentClassification {
  action: ConsentAction;
  /** The keyword as normalized (e.g. "STOP"), Twilio's OptOutType, or the request's language. */
  keyword: string | null;
  /** Where the decision came from; becomes the consent source. */
  decidedBy: "keyword" | "opt_out_type" | "request" | null;
  /** A person should read it: a plain-words opt-out, or opting out mentioned in a sentence. */
  needsReview: boolean;
}

const KEYWORDS: Record<string, Exclude<ConsentAction, "none">> = {
  STOP: "opt_out",
  STOPALL: "opt_out",
  UNSUBSCRIBE: "opt_out",
  CANCEL: "opt_out",
  END: "opt_out",
  QUIT: "opt_out",
  OPTOUT: "opt_out",
  REVOKE: "opt_out",
  START: "opt_in",
  YES: "opt_in",
  UNSTOP: "opt_in",
  HELP: "help",
  INFO: "help",
};

const OPT_OUT_TYPES: Record<string, Exclude<ConsentAction, "none">> = {
  STOP: "opt_out",
  START: "opt_in",
  HELP: "help",
};

// Separators between words, and what may surround a keyword: whitespace, punctuation, symbols
// (emoji included), emoji variation selectors and the keycap mark.
const SEPARATORS = /[\s\p{P}\p{S}\p{Cc}\p{Z}\uFE0E\uFE0F\u20E3]+/u;

/** The words of a message for keyword matching: NFKC, no format characters, upper case. */
function keywordTokens(body: string): string[] {
  return body
    .normalize("NFKC")
    .replace(/\p{Cf}/gu, "")
    .toUpperCase()
    .split(SEPARATORS)
    .filter(Boolean);
}

/** `word` when it is a keyword repeated (e.g. "STOPSTOP"), else undefined. */
function collapseRepeats(word: string): string | undefined {
  if (KEYWORDS[word]) return word;
  return Object.keys(KEYWORDS).find((k) => word.length % k.length === 0 && word === k.repeat(word.length / k.length));
}

/**
 * The keyword a message consists of, or null: "  Stop! ", "s t o p", "stop all", "Opt-Out",
 * "ＳＴＯＰ", "ST\u200dOP" and "STOP STOP" all give one keyword. A message of several keywords
 * ("stop unsubscribe") gives the one that protects the lead most (an opt-out wins).
 */
export function normalizeKeyword(body: string): string | null {
  const tokens = keywordTokens(body);
  if (tokens.length === 0) return null;
  const joined = collapseRepeats(tokens.join(""));
  if (joined) return joined;
  const each = tokens.map(collapseRepeats);
  if (each.some((k) => k === undefined)) return null;
  const rank = (k: string) => ({ opt_out: 0, opt_in: 1, help: 2 })[KEYWORDS[k]!];
  return [...(each as string[])].sort((a, b) => rank(a) - rank(b))[0]!;
}

/** Classify an inbound body; `optOutType` is Twilio's OptOutType parameter when present. */
export function classifyConsentKeyword(body: string, optOutType?: string | null): ConsentClassification {
  const fromTwilio = optOutType ? OPT_OUT_TYPES[optOutType.trim().toUpperCase()] : undefined;
  if (fromTwilio)
    return {
      action: fromTwilio,
      keyword: optOutType!.trim().toUpperCase(),
      decidedBy: "opt_out_type",
      needsReview: false,
    };
  const keyword = normalizeKeyword(body ?? "");
  if (keyword) return { action: KEYWORDS[keyword]!, keyword, decidedBy: "keyword", needsReview: false };
  const request = detectOptOutRequest(body ?? "");
  if (request) return { action: "opt_out", keyword: request, decidedBy: "request", needsReview: true };
  return { action: "none", keyword: null, decidedBy: null, needsReview: mentionsOptingOut(body ?? "") };
}

/** The consent source stored on the lead: "sms_keyword:STOP", "twilio_opt_out_type:STOP", "sms_request:es". */
export function consentSourceFor(c: ConsentClassification): string {
  const prefix =
    c.decidedBy === "opt_out_type" ? "twilio_opt_out_type" : c.decidedBy === "request" ? "sms_request" : "sms_keyword";
  return `${prefix}:${c.keyword ?? ""}`.slice(0, 64);
}
