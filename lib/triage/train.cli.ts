/**
 * npm run triage:train [-- --corrections corrections.jsonl] [-- --cv]
 * Retrains lib/triage/model/intent-model.json from lib/triage/corpus/replies.v1.jsonl (plus staff
 * corrections exported with `npm run triage:export-corrections`, when given), and prints a 5-fold
 * cross-validation on the training corpus. Deterministic: the same input gives the same file.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { readCorpus, TRAINING_CORPUS } from "./corpus/labelled-replies";
import { formatReport } from "./intent-metrics";
import { crossValidate, serializeModel, trainIntentModel } from "./train-intent-model";

const { values } = parseArgs({ options: { corrections: { type: "string" }, cv: { type: "boolean", default: true } } });
const corpus = readCorpus(TRAINING_CORPUS);
const corrections = values.corrections ? readCorpus(values.corrections) : [];
const replies = [...corpus, ...corrections];

if (values.cv) {
  console.log("5-fold cross-validation on the training corpus (rules + model):");
  console.log(formatReport(crossValidate(corpus)));
}
const started = performance.now();
const model = trainIntentModel(replies);
const file = fileURLToPath(new URL("./model/intent-model.json", import.meta.url));
const serialized = serializeModel(model, {
  name: "lib/triage/corpus/replies.v1.jsonl",
  text: readFileSync(TRAINING_CORPUS, "utf8") + (values.corrections ? readFileSync(values.corrections, "utf8") : ""),
  examples: corpus.length,
  corrections: corrections.length,
});
writeFileSync(file, JSON.stringify(serialized) + "\n");
console.log(
  `trained on ${corpus.length} replies + ${corrections.length} corrections in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
    `${Object.keys(model.weights).length} features -> lib/triage/model/intent-model.json`,
);
