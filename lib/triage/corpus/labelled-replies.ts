/**
 * The labelled corpora of dealership SMS replies (JSON Lines: {"text", "intent", "lang"}):
 * replies.v1.jsonl trains the model, eval.v1.jsonl is the held-out set it never sees (written
 * first, independently, with different phrasings; lib/triage/corpus/corpus.test.ts keeps them apart).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { intentSchema } from "../intents";

const labelledReply = z.object({
  text: z.string().min(1).max(1600),
  intent: intentSchema,
  lang: z.enum(["en", "es"]),
});

export type LabelledReply = z.infer<typeof labelledReply>;

export const TRAINING_CORPUS = fileURLToPath(new URL("./replies.v1.jsonl", import.meta.url));
export const EVALUATION_CORPUS = fileURLToPath(new URL("./eval.v1.jsonl", import.meta.url));

/** Read and validate a JSON Lines corpus; a bad line fails with its line number. */
export function readCorpus(path: string): LabelledReply[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, n }) => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        throw new Error(`${path}:${n}: not JSON`);
      }
      const parsed = labelledReply.safeParse(json);
      if (!parsed.success) throw new Error(`${path}:${n}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
      return parsed.data;
    });
}
