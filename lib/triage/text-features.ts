/**
 * From an SMS reply to the sparse features the intent model reads. Tokenizing is wink-tokenizer's
 * (it tags emoji, emoticons, times and numbers, which matter in SMS); words are folded (case,
 * accents, curly quotes), common SMS spellings expanded ("u" → "you", "porfa" → "por favor"),
 * then stemmed with nlp.js's Porter-2 (English) or Snowball (Spanish) stemmer, chosen by a cheap
 * guess of the message's language. Features: stems, stem bigrams with start/end marks, character
 * 3- and 4-grams of each word (robust to typos: "intrested", "llamame"), emoji, token kinds and a
 * length bucket. Pure; no I/O.
 */
import { StemmerEn } from "@nlpjs/lang-en-min";
import { StemmerEs } from "@nlpjs/lang-es";
import Tokenizer from "wink-tokenizer";

export type ReplyLanguage = "en" | "es";

const tokenizer = new Tokenizer();
const stemmers = { en: new StemmerEn(), es: new StemmerEs() };

/** Case, width, invisible characters and curly quotes folded; accents kept (the stemmers use them). */
export function normalizeReply(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/\p{Cf}/gu, "")
    .replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .toLowerCase();
}

/** Accents removed ("llámenme" → "llamenme"). */
export function stripAccents(word: string): string {
  return word.normalize("NFD").replace(/\p{M}/gu, "");
}

// SMS spellings and contractions, expanded before stemming. Only unambiguous ones: "ya" is Spanish,
// "no" and "me" are both languages, so they stay as they are.
const EXPANSIONS: Record<string, string[]> = {
  u: ["you"],
  ur: ["your"],
  r: ["are"],
  pls: ["please"],
  plz: ["please"],
  pleas: ["please"],
  thx: ["thanks"],
  thnx: ["thanks"],
  ty: ["thank", "you"],
  tmrw: ["tomorrow"],
  tmr: ["tomorrow"],
  tmw: ["tomorrow"],
  tomoro: ["tomorrow"],
  "2day": ["today"],
  "2nite": ["tonight"],
  tonite: ["tonight"],
  txt: ["text"],
  txts: ["texts"],
  txting: ["texting"],
  msg: ["message"],
  msgs: ["messages"],
  msging: ["messaging"],
  im: ["i", "am"],
  "'m": ["am"],
  "n't": ["not"],
  "'re": ["are"],
  "'ll": ["will"],
  "'ve": ["have"],
  "'d": ["would"],
  ca: ["can"],
  wo: ["will"],
  dont: ["do", "not"],
  cant: ["can", "not"],
  wont: ["will", "not"],
  didnt: ["did", "not"],
  doesnt: ["does", "not"],
  isnt: ["is", "not"],
  ive: ["i", "have"],
  wanna: ["want", "to"],
  gonna: ["going", "to"],
  rn: ["right", "now"],
  appt: ["appointment"],
  pics: ["pictures"],
  pic: ["picture"],
  yep: ["yes"],
  yup: ["yes"],
  yea: ["yes"],
  yeah: ["yes"],
  nah: ["no"],
  nope: ["no"],
  naw: ["no"],
  // Spanish
  porfa: ["por", "favor"],
  porfis: ["por", "favor"],
  xfa: ["por", "favor"],
  x: ["por"],
  q: ["que"],
  xq: ["porque"],
  pq: ["porque"],
  pa: ["para"],
  msj: ["mensaje"],
  msjs: ["mensajes"],
  cel: ["celular"],
  tel: ["telefono"],
  nel: ["no"],
  simon: ["si"],
};

// Words that tell Spanish from English. Words both languages use ("no", "me", "a") are left out.
const SPANISH_MARKERS = new Set(
  (
    "que de la el los las por para con sin mi mis su sus ya mas más esta está estoy estamos es son un una unos unas " +
    "quiero tengo tenemos gracias favor hola si sí carro coche camioneta troca ahorita ahora mañana manana cuando " +
    "cuanto cuánto donde dónde puedo pueden llamen llámenme escriban mensajes numero número ustedes usted nada " +
    "todavía todavia tal vez después despues semana mes año ano lo le les nos muy bien buenas buenos hoy"
  ).split(" "),
);
const ENGLISH_MARKERS = new Set(
  (
    "the you your i i'm im is it and for to of this that what have has will can not don't dont thanks thank please " +
    "my we are was be do does with at on in just already call car truck when how much want need looking yes " +
    "still good sure ok okay right now later number text texts stop wrong bought"
  ).split(" "),
);

/** A guess at the message's language from its marker words; English when undecided. */
export function guessLanguage(words: readonly string[]): ReplyLanguage {
  let es = 0;
  let en = 0;
  for (const w of words) {
    if (SPANISH_MARKERS.has(w)) es++;
    else if (ENGLISH_MARKERS.has(w)) en++;
    if (/[ñ¿¡]|[áéíóú]/.test(w)) es++;
  }
  return es > en ? "es" : "en";
}

/** What tokenizing a reply gives: folded words (expanded), their stems, emoji and token kinds. */
export interface ReplyTokens {
  language: ReplyLanguage;
  /** Folded words without accents, SMS spellings expanded. */
  words: string[];
  stems: string[];
  emoji: string[];
  /** Kinds of the other tokens: "number", "time", "currency", "?" ... */
  kinds: string[];
}

// Skin tones and variation selectors do not change what an emoji says.
const EMOJI_MODIFIERS = /[\u{1F3FB}-\u{1F3FF}\uFE0E\uFE0F]/gu;

/** Tokenize, fold, expand and stem a reply. */
export function tokenizeReply(text: string): ReplyTokens {
  const tokens = tokenizer.tokenize(normalizeReply(text));
  const raw: string[] = [];
  const emoji: string[] = [];
  const kinds: string[] = [];
  for (const token of tokens) {
    switch (token.tag) {
      case "word":
        for (const w of EXPANSIONS[token.value] ?? [token.value]) raw.push(w);
        break;
      case "emoji":
        emoji.push(token.value.replace(EMOJI_MODIFIERS, ""));
        break;
      case "emoticon":
        emoji.push(token.value);
        break;
      case "punctuation":
        if (token.value === "?" || token.value === "!") kinds.push(token.value);
        break;
      case "number":
      case "time":
      case "currency":
      case "ordinal":
      case "url":
      case "email":
        kinds.push(token.tag);
        break;
      default:
        if (token.value === "¿") kinds.push("?");
    }
  }
  const language = guessLanguage(raw);
  const stemmer = stemmers[language];
  const words = raw.map(stripAccents);
  const stems = raw.map((w) => stripAccents(/^\p{L}+$/u.test(w) ? stemmer.stemWord(w) : w));
  return { language, words, stems, emoji, kinds };
}

const NEGATORS = new Set(["not", "no", "never", "nunca", "ni", "nada"]);

function lengthBucket(n: number): string {
  if (n <= 1) return "1";
  if (n <= 3) return "2-3";
  if (n <= 7) return "4-7";
  return "8+";
}

/** The set of feature names of a reply (the model's input; every feature counts once). */
export function replyFeatures(text: string | ReplyTokens): string[] {
  const t = typeof text === "string" ? tokenizeReply(text) : text;
  const features = new Set<string>();
  features.add(`lang:${t.language}`);
  features.add(`len:${lengthBucket(t.words.length + t.emoji.length)}`);
  if (t.words.length === 0) features.add(t.emoji.length > 0 ? "only:emoji" : "only:symbols");
  const marked = ["^", ...t.stems, "$"];
  for (let i = 0; i < marked.length - 1; i++) {
    if (i > 0) features.add(`w:${marked[i]}`);
    features.add(`b:${marked[i]}_${marked[i + 1]}`);
  }
  // Negation scope: the three words after "not"/"no"/"nunca" also count as negated ("not
  // interested" and "interested", "no me interesa" and "me interesa" must part ways).
  let negated = 0;
  for (const stem of t.stems) {
    if (negated > 0) {
      features.add(`n:${stem}`);
      negated--;
    }
    if (NEGATORS.has(stem)) negated = 3;
  }
  for (const word of t.words) {
    const padded = ` ${word} `;
    for (const n of [3, 4]) {
      for (let i = 0; i + n <= padded.length; i++) features.add(`c:${padded.slice(i, i + n)}`);
    }
  }
  for (const e of t.emoji) features.add(`e:${e}`);
  for (const k of t.kinds) features.add(`k:${k}`);
  return [...features];
}
