/**
 * `tsx local-stack/bench/triage-bench.ts [rounds]` (npm run bench:triage). Not a test.
 *
 * Times the embedded reply classifier over every reply of both corpora (training and held-out),
 * several rounds after a warm-up, and prints the time per message: the intent alone (rules +
 * model, what the webhook needs first) and with the date read (chrono-node, for the not_now and
 * appointment replies). The same-run baseline is a plain regex pass over the same messages: one
 * keyword regex per intent, first match wins (what a rule-only sorter would cost).
 */
import { classifyReplyIntent, triageReply } from "@/lib/triage/classify-reply";
import { EVALUATION_CORPUS, readCorpus, TRAINING_CORPUS } from "@/lib/triage/corpus/labelled-replies";

const [ROUNDS = 20] = process.argv.slice(2).map(Number);
const messages = [...readCorpus(TRAINING_CORPUS), ...readCorpus(EVALUATION_CORPUS)].map((r) => r.text);

const KEYWORD_REGEXES: [string, RegExp][] = [
  ["opt_out", /\b(?:stop|unsubscribe|remove me|opt out|no me escriban|baja)\b/i],
  ["wrong_number", /\bwrong (?:number|person)\b|\bequivocad[oa]\b/i],
  ["auto_reply", /\bauto(?:matic|mated)?[- ]?(?:reply|response)\b|\brespuesta automatica\b|\bdriving\b/i],
  ["hostile", /\b(?:scam|crook|liar|fuck|estafa|ladron)\w*/i],
  ["already_bought", /\b(?:bought|purchased|leased|ya compr)\w*/i],
  ["appointment", /\b(?:come in|stop by|test drive|appointment|cita|paso)\b/i],
  ["call_me", /\b(?:call me|llam[ae]me|ll[aá]menme)\b/i],
  ["question", /\?|\b(?:how much|price|cu[aá]nto)\b/i],
  ["not_now", /\b(?:later|next (?:month|year)|not (?:right )?now|ahorita no)\b/i],
  ["not_interested", /\b(?:not interested|no thanks|no me interesa)\b/i],
  ["interested", /\b(?:interested|looking|me interesa|busco)\b/i],
];

function regexBaseline(text: string): string {
  for (const [intent, re] of KEYWORD_REGEXES) if (re.test(text)) return intent;
  return "other";
}

function time(label: string, fn: (text: string) => unknown): number {
  for (const m of messages) fn(m); // warm-up (JIT, lazy tables)
  const samples: number[] = [];
  let sink = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (const m of messages) if (fn(m)) sink++;
    samples.push(Number(process.hrtime.bigint() - start) / 1e3 / messages.length);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)]!;
  console.log(
    `${label.padEnd(44)} median ${median.toFixed(1).padStart(6)} µs/message  (best ${samples[0]!.toFixed(1)}, worst ${samples.at(-1)!.toFixed(1)}; ${sink > 0 ? "ok" : "?"})`,
  );
  return median;
}

const now = new Date();
console.log(`${messages.length} replies x ${ROUNDS} rounds, Node ${process.version}`);
const baseline = time("baseline: one keyword regex per intent", regexBaseline);
const intent = time("embedded classifier (rules + model)", (m) => classifyReplyIntent(m).intent);
const withDate = time("embedded classifier + date (chrono-node)", (m) =>
  triageReply(m, { now, timeZone: "America/Chicago" }),
);
console.log(
  `intent: ${(intent / baseline).toFixed(1)}x the regex pass; with date: ${(withDate / baseline).toFixed(1)}x; ` +
    `target < 1000 µs/message: ${withDate < 1000 ? "met" : "MISSED"}`,
);
