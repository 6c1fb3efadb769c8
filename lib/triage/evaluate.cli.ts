/**
 * npm run eval:triage
 * Scores the embedded classifier (rules + the committed model) on the held-out set
 * lib/triage/corpus/eval.v1.jsonl, which training never reads, and prints per-intent precision and
 * recall and the macro-F1. Exits 1 when a target is missed (macro-F1 >= 0.85; opt_out recall 1.0
 * and precision >= 0.95). --errors lists the misclassified replies.
 */
import { parseArgs } from "node:util";
import { classifyReplyIntent } from "./classify-reply";
import { EVALUATION_CORPUS, readCorpus } from "./corpus/labelled-replies";
import { formatReport, scoreIntents } from "./intent-metrics";

const { values } = parseArgs({ options: { errors: { type: "boolean", default: false } } });
const replies = readCorpus(EVALUATION_CORPUS);
const pairs = replies.map((r) => ({ gold: r.intent, predicted: classifyReplyIntent(r.text).intent, text: r.text }));
const report = scoreIntents(pairs);
console.log(`held-out set: lib/triage/corpus/eval.v1.jsonl (${replies.length} replies)`);
console.log(formatReport(report));
if (values.errors) {
  for (const p of pairs.filter((p) => p.gold !== p.predicted)) console.log(`${p.gold} -> ${p.predicted}: ${p.text}`);
}
const optOut = report.scores.find((s) => s.intent === "opt_out")!;
const met = report.macroF1 >= 0.85 && optOut.recall === 1 && optOut.precision >= 0.95;
console.log(met ? "targets met" : "TARGETS MISSED (macro-F1 >= 0.85, opt_out recall 1.0, precision >= 0.95)");
process.exitCode = met ? 0 : 1;
