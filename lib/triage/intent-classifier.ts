/**
 * The embedded intent classifier: the sure rules first (lib/triage/reply-rules.ts, in priority
 * order), then the trained softmax model over the reply's features. The model's answer is its most
 * probable intent (an exact tie goes to the intent earlier in the priority list); an opt-out from
 * the model alone must be likely enough, since a false one loses a customer, and otherwise the next
 * best intent stands. Pure; the model is a parameter.
 */
import { mentionsOptingOut } from "@/lib/sms/opt-out-requests";
import { INTENTS, type Intent } from "./intents";
import { matchReplyRules } from "./reply-rules";
import { predictSoftmax, type SoftmaxModel } from "./softmax-model";
import { replyFeatures, tokenizeReply, type ReplyLanguage } from "./text-features";

/** What the embedded classifier says about one reply. */
export interface IntentVerdict {
  intent: Intent;
  /** 0-1: the model's probability, or the rule's fixed confidence. */
  confidence: number;
  source: "rule" | "model";
  /** The rule that fired (source "rule"). */
  rule: string | null;
  language: ReplyLanguage;
}

/** The least probability at which the model alone may call a reply an opt-out. */
export const MODEL_OPT_OUT_MIN = 0.7;

type IntentModel = Pick<SoftmaxModel, "labels" | "bias" | "weights">;

/** Classify one reply with the rules and the given model. */
export function classifyIntent(model: IntentModel, text: string): IntentVerdict {
  const tokens = tokenizeReply(text);
  const language = tokens.language;
  const rule = matchReplyRules(text);
  if (rule) return { intent: rule.intent, confidence: rule.confidence, source: "rule", rule: rule.rule, language };
  const probabilities = predictSoftmax(model, replyFeatures(tokens));
  const ranked = INTENTS.map((intent) => ({ intent, p: probabilities[model.labels.indexOf(intent)] ?? 0 }))
    // Stable sort: equal probabilities keep the priority order.
    .sort((a, b) => b.p - a.p);
  // The model may add an opt-out the consent rules did not see, but not overrule them where they
  // looked and decided it was none ("stop texting me so often" is a complaint a person reads).
  const optOutAllowed = ranked[0]!.p >= MODEL_OPT_OUT_MIN && !mentionsOptingOut(text);
  const best = ranked[0]!.intent === "opt_out" && !optOutAllowed ? ranked[1]! : ranked[0]!;
  return { intent: best.intent, confidence: Math.round(best.p * 1000) / 1000, source: "model", rule: null, language };
}
