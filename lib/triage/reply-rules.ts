/**
 * Rules for the intents where a pattern is surer than a model: opt-outs (the very same reading as
 * the inbound webhook's consent path, lib/sms/consent-keywords.ts, so the two never disagree on a
 * keyword or a plain-words request), wrong numbers, automatic replies, abuse, and messages with no
 * words at all. A rule fires only on unmistakable wording; everything else goes to the model.
 * Pure; no I/O.
 */
import { classifyConsentKeyword } from "@/lib/sms/consent-keywords";
import { foldForPhrases } from "@/lib/sms/opt-out-requests";
import type { Intent } from "./intents";

/** A rule's verdict. */
export interface RuleMatch {
  intent: Intent;
  confidence: number;
  /** Which rule fired, for the record ("consent_keyword", "wrong_number", ...). */
  rule: string;
}

const WRONG_NUMBER = [
  /\bwr(?:o|)ng (?:number|numbr|num|#|person|guy|lady|girl|one|dude|texter)\b/,
  /\b(?:have|got|texted|texting|messaging) the (?:wrong|incorrect) (?:number|person|guy|lady|#|one|\w+)\b/,
  /\b(?:incorrect|wrong) number\b/,
  /\b(?:no one|nobody|no body|noone) (?:by that name|named|called)\b/,
  /\b(?:there'?s|there is|theres) no(?: one)? \w+ (?:here|at this (?:number|phone))\b/,
  /\b(?:he|she|they) (?:doesn'?t|does not|don'?t|do not|no longer) (?:have|has|use|uses) this (?:number|phone)\b/,
  /\bnot (?:the )?(?:right|correct) (?:number|person)\b/,
  /\b(?:numero|telefono|persona) (?:equivocad[oa]|incorrect[oa])\b/,
  /\bse equivoc\w* de (?:numero|persona|telefono)\b/,
  /^equivocad[oa][.!]*$/,
  /\b(?:tienen?|tiene) (?:mal el numero|el numero equivocado)\b/,
  /\b(?:ya )?no es (?:el )?(?:numero|telefono|cel|celular) de\b/,
  /\baqui no (?:vive|hay|es) (?:ningun|ninguna|nadie)\b/,
];

const AUTO_REPLY = [
  /\bauto[- ]?(?:reply|replies|response|responder|message|text|msg)\b/,
  /\b(?:automatic|automated) (?:reply|response|message|text)\b/,
  /\bthis is an? (?:automatic|automated|auto)\b/,
  /\bsent automatically\b|\bautomatically sent\b/,
  /\bdo not disturb\b|\bfocus (?:mode )?is on\b|\bnotifications silenced\b|\bsilenced with focus\b/,
  /\bi'?m driving(?: right now| rn)?(?: - |[.,!]|$)|\bsent from my car\b/,
  /\bout of (?:the )?office\b|^ooo\b/,
  /\b(?:not monitored|unmonitored|unattended mailbox|is not monitored)\b/,
  /\b(?:cannot|can'?t|does not|doesn'?t) (?:receive|accept|support) (?:text|sms)/,
  /\brespuesta automatica\b|\bmensaje automatico\b|\b(?:enviado|respuesta) automaticamente\b/,
  /\b(?:estoy|voy) (?:manejando|conduciendo)\b/,
  /\bfuera de (?:la )?oficina\b|\bno molestar activado\b|\bmodo no molestar\b/,
  /\beste numero no recibe\b|\beste buzon no se revisa\b/,
];

// Abuse in words that rarely mean anything else. "scam" and "spam" count; "stop" does not (that
// is the consent path's business).
const HOSTILE = [
  /\bf+u+c+k+\w*|\bf[*#@$!]+\w*|\bf off\b|\bf (?:you|u|yourself)\b|\bstfu\b|\bwtf\b/,
  /\b(?:bull)?shit\w*\b|\bass ?holes?\b|\bbitch\w*\b|\bdumb ?ass\w*\b|\bbastards?\b/,
  /\bcrook(?:s|ed)?\b|\bscam(?:s|mers?|ming)?\b|\brip ?off\b|\bripped (?:me )?off\b|\bliars?\b|\blied to me\b/,
  /\bidiots?\b|\bmorons?\b|\bclowns\b|\bpathetic\b/,
  /\bscrew (?:you|off|u)\b|\bpiss off\b|\bgo to hell\b|\bto hell with\b/,
  /\bharass\w*\b|\bsue (?:you|u)\b|\bgoing to sue\b|\b(?:lawyer|attorney)\b.*\b(?:will|hear|touch)\b/,
  /\breport(?:ing)? (?:you|this|u)\b|\breported (?:as|for) spam\b|\bthis is spam\b|\battorney general\b|\bbbb\b|\bfcc\b/,
  /\bchinga\w*|\bchingu\w*|\bpinche\w*|\bcabron\w*|\bpendej\w*|\bmierda\b|\bputa\w*|\bverga\b/,
  /\bestaf\w*|\bladron\w*|\brateros?\b|\bmentiros[oa]s\b|\bidiotas?\b|\bsinverguenza\w*|\bal diablo\b/,
  /\b(?:los|les) voy a (?:demandar|reportar)\b|\bacoso\b|\bratas\b|\bpayasos\b/,
];
const HOSTILE_EMOJI = /[\u{1F595}\u{1F92C}\u{1F621}\u{1F620}\u{1F44E}]/u;

const HAS_WORD = /[\p{L}\p{N}]/u;

/** The first rule (in intent priority order) that fires on a reply, or null. */
export function matchReplyRules(text: string): RuleMatch | null {
  const consent = classifyConsentKeyword(text);
  if (consent.action === "opt_out") {
    const rule = consent.decidedBy === "keyword" ? "consent_keyword" : "opt_out_request";
    return { intent: "opt_out", confidence: consent.decidedBy === "keyword" ? 1 : 0.97, rule };
  }
  const folded = foldForPhrases(text);
  if (WRONG_NUMBER.some((p) => p.test(folded)))
    return { intent: "wrong_number", confidence: 0.95, rule: "wrong_number" };
  if (AUTO_REPLY.some((p) => p.test(folded))) return { intent: "auto_reply", confidence: 0.95, rule: "auto_reply" };
  if (HOSTILE.some((p) => p.test(folded))) return { intent: "hostile", confidence: 0.9, rule: "abuse" };
  if (!HAS_WORD.test(folded)) {
    if (HOSTILE_EMOJI.test(folded)) return { intent: "hostile", confidence: 0.8, rule: "abuse_emoji" };
    // Only emoji or punctuation ("🙏", "??"): a reaction, not a request. "📞" alone asks for a call.
    if (/\u{1F4DE}|\u260E/u.test(folded)) return { intent: "call_me", confidence: 0.7, rule: "phone_emoji" };
    return { intent: "other", confidence: 0.9, rule: "no_words" };
  }
  return null;
}
