/** Precision, recall and F1 per intent, and the macro-F1 over the intents, for an evaluation. */
import { INTENTS, type Intent } from "./intents";

export interface IntentScore {
  intent: Intent;
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface EvaluationReport {
  scores: IntentScore[];
  macroF1: number;
  accuracy: number;
  examples: number;
}

/** Score predictions against gold labels (pairs in any order). */
export function scoreIntents(pairs: readonly { gold: Intent; predicted: Intent }[]): EvaluationReport {
  const scores = INTENTS.map((intent) => {
    const tp = pairs.filter((p) => p.gold === intent && p.predicted === intent).length;
    const predicted = pairs.filter((p) => p.predicted === intent).length;
    const support = pairs.filter((p) => p.gold === intent).length;
    const precision = predicted === 0 ? (support === 0 ? 1 : 0) : tp / predicted;
    const recall = support === 0 ? 1 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { intent, support, precision, recall, f1 };
  });
  const present = scores.filter((s) => s.support > 0);
  return {
    scores,
    macroF1: present.reduce((sum, s) => sum + s.f1, 0) / Math.max(1, present.length),
    accuracy: pairs.filter((p) => p.gold === p.predicted).length / Math.max(1, pairs.length),
    examples: pairs.length,
  };
}

/** The report as a fixed-width table. */
export function formatReport(report: EvaluationReport): string {
  const pct = (x: number) => x.toFixed(3);
  const lines = [
    `${"intent".padEnd(16)}${"support".padStart(8)}${"precision".padStart(11)}${"recall".padStart(8)}${"F1".padStart(8)}`,
  ];
  for (const s of report.scores) {
    lines.push(
      `${s.intent.padEnd(16)}${String(s.support).padStart(8)}${pct(s.precision).padStart(11)}${pct(s.recall).padStart(8)}${pct(s.f1).padStart(8)}`,
    );
  }
  lines.push(`macro-F1 ${pct(report.macroF1)}  accuracy ${pct(report.accuracy)}  (${report.examples} replies)`);
  return lines.join("\n");
}
