/**
 * Consent keywords in inbound SMS. Only a whole message counts (case, spaces and surrounding
 * punctuation ignored): "STOP" opts out, "Please stop texting me" does not, but it is flagged so a
 * human reads it. Twilio's OptOutType parameter (sent when Advanced Opt-Out recognised a
 * keyword, possibly a custom one) wins over our own reading. Pure; no I/O.
 */

export type ConsentAction = "opt_out" | "opt_in" | "help" | "none";

/** How an inbound message affects consent. */
export interface ConsentClassification {
  action: ConsentAction;
  /** The keyword as normalized (e.g. "STOP"), or Twilio's OptOutType when that decided. */
  keyword: string | null;
  /** Where the decision came from; becomes the consent source. */
  decidedBy: "keyword" | "opt_out_type" | null;
  /** Mentions opting out in a sentence: not an opt-out, but a person should look at it. */
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

const OPT_OUT_TYPES: Record<string, Exclude<ConsentAction, "none">> = { STOP: "opt_out", START: "opt_in", HELP: "help" };

// Words that signal a wish to stop when they appear inside a longer message. "cancel", "end" and
// "quit" are left out on purpose: "cancel my appointment" or "the weekend" are ordinary replies.
const REVIEW_PATTERN = /\b(stop|stopall|unsubscribe|opt[\s-]?out|revoke|remove me|do not (text|contact)|don'?t (text|contact))\b/i;

/** The message reduced to letters for keyword matching: "  Stop! " and "s t o p" become "STOP". */
export function normalizeKeyword(body: string): string {
  return body
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s\u200b]+/gu, "")
    .replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, "");
}

/** Classify an inbound body; `optOutType` is Twilio's OptOutType parameter when present. */
export function classifyConsentKeyword(body: string, optOutType?: string | null): ConsentClassification {
  const fromTwilio = optOutType ? OPT_OUT_TYPES[optOutType.trim().toUpperCase()] : undefined;
  if (fromTwilio) return { action: fromTwilio, keyword: optOutType!.trim().toUpperCase(), decidedBy: "opt_out_type", needsReview: false };
  const normalized = normalizeKeyword(body ?? "");
  const action = KEYWORDS[normalized];
  if (action) return { action, keyword: normalized, decidedBy: "keyword", needsReview: false };
  return { action: "none", keyword: null, decidedBy: null, needsReview: REVIEW_PATTERN.test(body ?? "") };
}

/** The consent source stored on the lead, e.g. "sms_keyword:STOP" or "twilio_opt_out_type:STOP". */
export function consentSourceFor(c: ConsentClassification): string {
  return `${c.decidedBy === "opt_out_type" ? "twilio_opt_out_type" : "sms_keyword"}:${c.keyword ?? ""}`.slice(0, 64);
}
