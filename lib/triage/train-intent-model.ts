/**
 * Training the embedded intent model from labelled replies (the corpus plus any staff corrections
 * exported from the inbox), and k-fold cross-validation on the training corpus alone, which is what
 * tuning may look at (the held-out set is only for lib/triage/evaluate.cli.ts).
 */
import { createHash } from "node:crypto";
import { classifyIntent } from "./intent-classifier";
import { INTENTS } from "./intents";
import { scoreIntents, type EvaluationReport } from "./intent-metrics";
import { trainSoftmax, type SoftmaxModel, type TrainOptions } from "./softmax-model";
import { replyFeatures } from "./text-features";
import type { LabelledReply } from "./corpus/labelled-replies";

/** Train on labelled replies. */
export function trainIntentModel(
  replies: readonly LabelledReply[],
  options: TrainOptions = {},
): Pick<SoftmaxModel, "labels" | "bias" | "weights"> {
  return trainSoftmax(
    replies.map((r) => ({ features: replyFeatures(r.text), label: r.intent })),
    INTENTS,
    options,
  );
}

/** The serialized model with its provenance. */
export function serializeModel(
  model: Pick<SoftmaxModel, "labels" | "bias" | "weights">,
  corpus: { name: string; text: string; examples: number; corrections: number },
): SoftmaxModel {
  return {
    format: "refire-triage-softmax/1",
    trainedOn: {
      corpus: corpus.name,
      sha256: createHash("sha256").update(corpus.text).digest("hex"),
      examples: corpus.examples,
      corrections: corpus.corrections,
    },
    labels: model.labels,
    bias: model.bias,
    weights: model.weights,
  };
}

/** k-fold cross-validation of rules + model on the training corpus (folds by a fixed stride). */
export function crossValidate(
  replies: readonly LabelledReply[],
  folds = 5,
  options: TrainOptions = {},
): EvaluationReport {
  const pairs = [];
  for (let fold = 0; fold < folds; fold++) {
    const train = replies.filter((_, i) => i % folds !== fold);
    const test = replies.filter((_, i) => i % folds === fold);
    const model = trainIntentModel(train, options);
    for (const r of test) pairs.push({ gold: r.intent, predicted: classifyIntent(model, r.text).intent, text: r.text });
  }
  return scoreIntents(pairs);
}
