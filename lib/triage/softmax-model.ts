/**
 * Multinomial logistic regression (softmax) over sparse binary features: small enough to read,
 * fast enough for the webhook (a few dozen multiply-adds per class), and it gives calibrated-ish
 * probabilities that become the reply's confidence. Trained with AdaGrad on the cross-entropy plus
 * an L2 penalty, in a fixed order from a seeded shuffle, so the same corpus gives the same model.
 * Each example's feature vector is scaled to unit length, so a long message does not shout.
 */

/** The serialized model (lib/triage/model/intent-model.json). */
export interface SoftmaxModel {
  format: "refire-triage-softmax/1";
  labels: string[];
  bias: number[];
  /** Feature name → one weight per label. */
  weights: Record<string, number[]>;
  /** Where the model came from, for the record; not used to predict. */
  trainedOn: { corpus: string; sha256: string; examples: number; corrections: number };
}

export interface TrainingExample {
  features: string[];
  label: string;
}

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  /** A feature must occur in at least this many examples to be kept. */
  minCount?: number;
  seed?: number;
}

/** A small deterministic PRNG (mulberry32), so training needs no Math.random. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function softmaxInPlace(scores: Float64Array | number[]): void {
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s);
  let sum = 0;
  for (let k = 0; k < scores.length; k++) {
    scores[k] = Math.exp(scores[k]! - max);
    sum += scores[k]!;
  }
  for (let k = 0; k < scores.length; k++) scores[k] = scores[k]! / sum;
}

/** Train a model on labelled feature sets. */
export function trainSoftmax(
  examples: readonly TrainingExample[],
  labels: readonly string[],
  options: TrainOptions = {},
): Pick<SoftmaxModel, "labels" | "bias" | "weights"> {
  const { epochs = 30, learningRate = 0.3, l2 = 1e-4, minCount = 1, seed = 13 } = options;
  const K = labels.length;
  const labelIndex = new Map(labels.map((l, i) => [l, i]));

  const counts = new Map<string, number>();
  for (const ex of examples) for (const f of ex.features) counts.set(f, (counts.get(f) ?? 0) + 1);
  const vocab = [...counts.entries()]
    .filter(([, c]) => c >= minCount)
    .map(([f]) => f)
    .sort();
  const featureIndex = new Map(vocab.map((f, i) => [f, i]));

  const rows = examples.map((ex) => {
    const idx = ex.features.map((f) => featureIndex.get(f)).filter((i): i is number => i !== undefined);
    const y = labelIndex.get(ex.label);
    if (y === undefined) throw new Error(`unknown label ${ex.label}`);
    return { idx, scale: idx.length > 0 ? 1 / Math.sqrt(idx.length) : 0, y };
  });

  const W = new Float64Array(vocab.length * K);
  const b = new Float64Array(K);
  const gW = new Float64Array(vocab.length * K).fill(1e-8);
  const gb = new Float64Array(K).fill(1e-8);
  const random = seededRandom(seed);
  const order = rows.map((_, i) => i);
  const p = new Float64Array(K);

  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const r of order) {
      const { idx, scale, y } = rows[r]!;
      for (let k = 0; k < K; k++) {
        let s = b[k]!;
        for (const f of idx) s += W[f * K + k]! * scale;
        p[k] = s;
      }
      softmaxInPlace(p);
      for (let k = 0; k < K; k++) {
        const err = p[k]! - (k === y ? 1 : 0);
        gb[k]! += err * err;
        b[k]! -= (learningRate * err) / Math.sqrt(gb[k]!);
        for (const f of idx) {
          const at = f * K + k;
          const g = err * scale + l2 * W[at]!;
          gW[at]! += g * g;
          W[at]! -= (learningRate * g) / Math.sqrt(gW[at]!);
        }
      }
    }
  }

  const round = (x: number) => Math.round(x * 1e3) / 1e3;
  const weights: Record<string, number[]> = {};
  vocab.forEach((f, i) => {
    weights[f] = Array.from(W.subarray(i * K, (i + 1) * K), round);
  });
  return { labels: [...labels], bias: Array.from(b, round), weights };
}

/** The probability of each label for a feature set (same order as `model.labels`). */
export function predictSoftmax(model: Pick<SoftmaxModel, "labels" | "bias" | "weights">, features: string[]): number[] {
  const K = model.labels.length;
  const known = features.map((f) => model.weights[f]).filter((w): w is number[] => w !== undefined);
  const scale = known.length > 0 ? 1 / Math.sqrt(known.length) : 0;
  const scores = model.bias.slice(0, K);
  for (const w of known) for (let k = 0; k < K; k++) scores[k]! += w[k]! * scale;
  softmaxInPlace(scores);
  return scores;
}
