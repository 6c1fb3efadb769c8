/**
 * Best-effort split of a one-column vehicle ("2019 Honda Civic EX", "Land Rover Range Rover
 * Sport 2021") into year, make, model and trim. What cannot be placed is left in the trim, so no
 * text is lost.
 */

export interface SplitVehicle {
  year: string | null;
  make: string | null;
  model: string | null;
  trim: string | null;
}

const MULTI_WORD_MAKES = [
  "land rover",
  "alfa romeo",
  "aston martin",
  "mercedes benz",
  "rolls royce",
  "mini cooper",
  "harley davidson",
];
const MULTI_WORD_MODELS = [
  "grand cherokee",
  "grand caravan",
  "santa fe",
  "range rover",
  "town & country",
  "model 3",
  "model s",
  "model x",
  "model y",
  "grand marquis",
  "monte carlo",
  "park avenue",
  "e pace",
  "f pace",
  "land cruiser",
  "c class",
  "e class",
  "s class",
  "g class",
];

/** A four-digit model year, or a two-digit one ("'19" → "2019"), or null. */
export function normalizeModelYear(raw: string): string | null {
  const m = /^'?(\d{2}|\d{4})$/.exec(raw.trim());
  if (!m) return null;
  const digits = m[1]!;
  if (digits.length === 4) {
    const y = Number(digits);
    return y >= 1900 && y <= 2100 ? digits : null;
  }
  const yy = Number(digits);
  const nextYear = (new Date().getUTCFullYear() + 1) % 100;
  return String(yy <= nextYear ? 2000 + yy : 1900 + yy);
}

function takePhrase(words: string[], at: number, phrases: string[]): number {
  for (const phrase of phrases) {
    const n = phrase.split(" ").length;
    const candidate = words
      .slice(at, at + n)
      .join(" ")
      .toLowerCase()
      .replace(/-/g, " ");
    if (candidate === phrase) return n;
  }
  return 1;
}

/** Year, make, model and trim from one vehicle description; missing parts are null. */
export function splitVehicle(text: string): SplitVehicle {
  const words = text.trim().split(/\s+/).filter(Boolean);
  let year: string | null = null;
  if (words.length > 0 && normalizeModelYear(words[0]!)) year = normalizeModelYear(words.shift()!);
  else if (
    words.length > 1 &&
    normalizeModelYear(words[words.length - 1]!)?.length === 4 &&
    /^\d{4}$/.test(words[words.length - 1]!)
  ) {
    year = words.pop()!;
  }
  if (words.length === 0) return { year, make: null, model: null, trim: null };
  const makeLen = takePhrase(words, 0, MULTI_WORD_MAKES);
  const make = words.slice(0, makeLen).join(" ");
  const modelLen = words.length > makeLen ? takePhrase(words, makeLen, MULTI_WORD_MODELS) : 0;
  const model = modelLen > 0 ? words.slice(makeLen, makeLen + modelLen).join(" ") : null;
  const trim = words.slice(makeLen + modelLen).join(" ") || null;
  return { year, make, model, trim };
}
