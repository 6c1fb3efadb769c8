import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import modelJson from "../model/intent-model.json";
import { INTENTS } from "../intents";
import { EVALUATION_CORPUS, readCorpus, TRAINING_CORPUS } from "./labelled-replies";

const train = readCorpus(TRAINING_CORPUS);
const held = readCorpus(EVALUATION_CORPUS);

const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{Extended_Pictographic}]+/gu, " ")
    .trim();
const trigrams = (s: string) => {
  const t = ` ${fold(s)} `;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= t.length; i++) grams.add(t.slice(i, i + 3));
  return grams;
};
const jaccard = (a: Set<string>, b: Set<string>) => {
  let both = 0;
  for (const g of a) if (b.has(g)) both++;
  return both / (a.size + b.size - both || 1);
};

describe("the triage corpora", () => {
  it("has at least 1,000 training replies covering every intent in both languages", () => {
    expect(train.length).toBeGreaterThanOrEqual(1000);
    for (const intent of INTENTS) {
      expect(train.filter((r) => r.intent === intent && r.lang === "en").length, intent).toBeGreaterThanOrEqual(20);
      expect(train.filter((r) => r.intent === intent && r.lang === "es").length, intent).toBeGreaterThanOrEqual(8);
    }
  });

  it("has a held-out set covering every intent", () => {
    for (const intent of INTENTS)
      expect(held.filter((r) => r.intent === intent).length, intent).toBeGreaterThanOrEqual(20);
  });

  it("shares no reply or near-duplicate between training and held-out sets", () => {
    const heldGrams = held.map((h) => ({ h, grams: trigrams(h.text), folded: fold(h.text) }));
    const leaks: string[] = [];
    for (const t of train) {
      const grams = trigrams(t.text);
      const folded = fold(t.text);
      for (const h of heldGrams) {
        if (h.folded === folded || (h.h.intent === t.intent && jaccard(grams, h.grams) >= 0.6)) {
          leaks.push(`${t.text} ~ ${h.h.text}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  it("has a committed model trained on the corpus as it is now (run npm run triage:train)", () => {
    const sha = createHash("sha256").update(readFileSync(TRAINING_CORPUS, "utf8")).digest("hex");
    expect(modelJson.trainedOn.sha256).toBe(sha);
    expect(modelJson.trainedOn.examples).toBe(train.length);
    expect(modelJson.labels).toEqual([...INTENTS]);
  });
});
