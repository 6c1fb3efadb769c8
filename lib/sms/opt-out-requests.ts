/**
 * Opt-out requests in plain words. Since April 2025 the FCC treats any reasonable request to stop
 * as a revocation of consent (47 CFR 64.1200(a)(10)), not only the STOP keywords: "stop sending me
 * messages", "take my number off your list", "no me escriban más". These opt the lead out at once
 * and are flagged for a person to read (a START from the lead undoes it). Ordinary replies that
 * merely contain the words ("can you stop by at 3?", "don't stop sending me deals", "non-stop")
 * must not match. Pure; no I/O.
 */

/** The language a request was recognised in (it becomes part of the consent source). */
export type OptOutRequestLanguage = "en" | "es";

/**
 * Text folded for phrase matching: NFKC, no format characters (zero-width joiners, bidi marks),
 * curly apostrophes made straight, accents removed ("más" → "mas"), lower case, single spaces.
 */
export function foldForPhrases(body: string): string {
  return body
    .normalize("NFKC")
    .replace(/\p{Cf}/gu, "")
    .replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

// Words that, just before a request, turn it around ("don't stop sending", "never remove me").
const NEGATED_BEFORE = /\b(?:don'?t|do not|dont|never|not)\s+(?:\w+\s+){0,2}$/;

interface Rule {
  language: OptOutRequestLanguage;
  pattern: RegExp;
  /** Refuse the match when a negation comes right before it. */
  negatable: boolean;
}

const MESSAGES_EN = String.raw`(?:texts?|text messages?|messages?|msgs?|txts?|sms|smss|marketing|promotions?|offers?)`;
const CONTACT_VERBS_EN = String.raw`(?:text(?:ing)?|txt(?:ing)?|messag(?:e|ing)|msg(?:ing)?|contact(?:ing)?|sms(?:ing)?|spam(?:ming)?|bother(?:ing)?)`;
// After "stop texting me": "so often", "so much", "at night", "every day" make it a complaint about
// frequency or timing. Written so the optional "me" cannot be skipped to dodge it.
const NOT_HOW_OFTEN = String.raw`(?!(?:\s+(?:me|us)\b)?\s+(?:(?:so|as|this|that|too)\s+(?:often|much|many|early|late)|(?:every|each|at)\s))`;
const NUMBER_EN = String.raw`(?:me|my (?:phone |cell |mobile )?(?:number|#|info|contact|details)|this (?:phone |cell )?(?:number|#|phone))`;
// What a sender may call the texts when asking to stop them: "stop sending me this crap", "quit
// sending me these" (but not "stop sending me the price" or "that quote").
const SENT_THINGS_EN = String.raw`(?:this|these|that|those|such)\b(?!\s+(?:quote|price|info|information|pics|pictures|photos|details|address|link|car|truck|van|suv|one)\b)`;

const RULES: Rule[] = [
  // "stop sending me messages", "stop texting me", "quit messaging me", "please stop contacting me";
  // not "stop texting me so often" (a complaint about how often, which a person reads instead)
  {
    language: "en",
    pattern: new RegExp(
      String.raw`\b(?:stop|quit|cease|end)\s+(?:sending(?: me)?(?: (?:these|any|your|the|more))*\s+${MESSAGES_EN}\b|${CONTACT_VERBS_EN}\b(?:\s+(?:me|us)\b)?)${NOT_HOW_OFTEN}`,
    ),
    negatable: true,
  },
  // "quit sending me these", "stop sending me this crap" (not "... every day": a complaint about how often)
  {
    language: "en",
    pattern: new RegExp(
      String.raw`\b(?:stop|quit|cease)\s+sending\s+(?:me\s+|us\s+)?${SENT_THINGS_EN}${NOT_HOW_OFTEN}`,
    ),
    negatable: true,
  },
  // "don't send me any more texts", "don't send me these anymore"
  {
    language: "en",
    pattern: new RegExp(
      String.raw`\b(?:don'?t|do not|dont|never)\s+send\s+(?:me|us|this number)\s+(?:(?:any ?more|more|any|these|those|your|the)\s+)*(?:${MESSAGES_EN}\b|(?:these|those|them)\s+(?:any ?more|again)\b)`,
    ),
    negatable: false,
  },
  // "put me on your do not contact list", "add my number to the DNC list", "I want off this list"
  {
    language: "en",
    pattern: new RegExp(
      String.raw`\b(?:put|add|place)\s+${NUMBER_EN}\s+(?:on|to)\s+(?:your|the|ur)\s+(?:do not (?:contact|call|text|message)|dnc|no contact|no text)\s+list\b|\bwant\s+(?:to (?:be|get)\s+)?off\s+(?:your|the|this|ur)\s+(?:list|texts?)\b`,
    ),
    negatable: true,
  },
  // "cancel these texts", "cancel my subscription"
  {
    language: "en",
    pattern: new RegExp(
      String.raw`\bcancel\s+(?:(?:these|those|the|your|my|all|any)\s+)*(?:${MESSAGES_EN}|subscription|alerts)\b`,
    ),
    negatable: true,
  },
  // "I'd like to be removed", "please be removed from the list"
  { language: "en", pattern: /\b(?:like|want|wish|need|ask(?:ed)?) to be removed\b/, negatable: true },
  // "don't text me anymore", "do not contact me", "never message me again"
  {
    language: "en",
    pattern: new RegExp(
      String.raw`\b(?:don'?t|do not|dont|never)\s+(?:ever\s+)?${CONTACT_VERBS_EN}\s+(?:me|this number)\b`,
    ),
    negatable: false,
  },
  // "I don't want these texts", "I do not want any more messages"
  {
    language: "en",
    pattern: new RegExp(
      String.raw`\b(?:don'?t|do not|dont)\s+want\s+(?:to (?:get|receive)\s+)?(?:(?:these|those|any|your|more|anymore|any more|the)\s+)*${MESSAGES_EN}\b`,
    ),
    negatable: false,
  },
  // "no more texts", "no more messages please"
  { language: "en", pattern: new RegExp(String.raw`\bno more ${MESSAGES_EN}\b`), negatable: false },
  // "take my number off your list", "take me off the list", "get me off your list"
  {
    language: "en",
    pattern: new RegExp(String.raw`\b(?:take|get|put|drop)\s+${NUMBER_EN}\s+(?:off|out of|from)\b`),
    negatable: true,
  },
  // "please remove me", "remove my number", "delete my number", "remove me from your list"
  { language: "en", pattern: new RegExp(String.raw`\b(?:remove|delete|erase)\s+${NUMBER_EN}\b`), negatable: true },
  // "unsubscribe me", "how do I unsubscribe?", "I want to opt out", "opt me out"
  { language: "en", pattern: /\b(?:unsubscribe|unsub|opt(?: me)?[ -]?out)\b/, negatable: true },
  // "lose my number", "leave me alone"
  { language: "en", pattern: /\b(?:lose my number|leave me alone)\b/, negatable: true },
  // "please stop", "stop please", "stop it", "stop now" (a keyword with only filler around it)
  {
    language: "en",
    pattern:
      /^(?:(?:please|pls|plz|ok|okay)\s+)?s+t+o+p+(?:\s+(?:please|pls|plz|it|now|thanks|thank you|already|asap))*[.!]*$/,
    negatable: false,
  },
  // "Stop please, I'm at work": the request first, an explanation after it
  {
    language: "en",
    pattern: /^(?:(?:please|pls|plz)\s+)?stop(?:\s+(?:please|pls|plz|it|already))+\s*[.,!;-]/,
    negatable: false,
  },
  // Spanish: "no me escriban más", "no me molesten", "no me contacten"
  {
    language: "es",
    pattern:
      /\bno (?:me |nos )?(?:vuelvan a |vuelvas a )?(?:escrib(?:an|as|a|ir)|contact(?:en|es|e|ar)|textee?n?s?|molest(?:en|es|e)|llam(?:en|es))\b/,
    negatable: false,
  },
  // Spanish: "no me manden más mensajes", "ya no me envíen nada" (the object is needed: "no me manden la cotización" is not a request to stop)
  {
    language: "es",
    pattern: /\bno (?:me |nos )?(?:mand|envi)(?:en|es|e)\s+(?:mas\b|nada\b|(?:\w+\s+)?(?:mensajes|textos|sms|msj))/,
    negatable: false,
  },
  // Spanish: "ya no quiero mensajes", "no quiero recibir más mensajes"
  {
    language: "es",
    pattern:
      /\bno (?:quiero|deseo|necesito) (?:recibir |que me (?:manden|envien|escriban) )?(?:mas |sus |estos |los |ningun |ningunos )?(?:mensajes|textos|sms|msj|promociones)\b/,
    negatable: false,
  },
  // Spanish: "dejen de mandarme mensajes", "paren de escribirme"
  {
    language: "es",
    pattern:
      /\b(?:dejen|deja|deje|paren|para|pare)\s+de\s+(?:mandar|enviar|escribir|textear|contactar|molestar)(?:me|nos)?\b/,
    negatable: false,
  },
  // Spanish: "bórrenme de su lista", "quítenme de la lista", "sáquenme", "denme de baja"
  {
    language: "es",
    pattern:
      /\b(?:borr|quit|saqu|elimin)(?:enme|ame|eme)\b|\b(?:borren|quiten|eliminen|saquen) mi (?:numero|telefono|celular)\b|\b(?:denme|dame|darme|dar|den) de baja\b/,
    negatable: false,
  },
  // Spanish one-word replies that mean STOP ("Alto", "Baja").
  { language: "es", pattern: /^(?:alto|baja|parar|detener|cancelar suscripcion)[.!]*$/, negatable: false },
];

/** The language of the opt-out request this message makes, or null when it makes none. */
export function detectOptOutRequest(body: string): OptOutRequestLanguage | null {
  const text = foldForPhrases(body ?? "");
  if (!text) return null;
  for (const rule of RULES) {
    for (const match of text.matchAll(new RegExp(rule.pattern.source, `${rule.pattern.flags.replace("g", "")}g`))) {
      if (rule.negatable && NEGATED_BEFORE.test(text.slice(0, match.index))) continue;
      return rule.language;
    }
  }
  return null;
}

// "stop" and friends inside a longer message that is not a request: a person should still read it.
// Not "stop by/in/over" (a visit), "non-stop", "bus stop" or "don't stop".
const MENTION_PATTERN =
  /(?<![-\w])(?:stop(?!\s+(?:by|in|over|at|for|off)\b)|stopall|unsubscribe|revoke|opt[\s-]?out|remove me)\b/;

/** True when the message mentions opting out without being a request we recognise. */
export function mentionsOptingOut(body: string): boolean {
  const text = foldForPhrases(body ?? "");
  const match = MENTION_PATTERN.exec(text);
  if (!match) return false;
  return !/\b(?:don'?t|do not|dont|never|bus|truck|pit)\s+$/.test(text.slice(0, match.index));
}
