/**
 * The embedded default: classify a reply with the rules and the model trained into this repository
 * (lib/triage/model/intent-model.json, retrained with `npm run triage:train`), and read the date of
 * a not_now or appointment reply in the dealership's time zone. In-process, no network, no download.
 */
import modelJson from "./model/intent-model.json";
import { classifyIntent, type IntentVerdict } from "./intent-classifier";
import { DATED_INTENTS, INTENTS } from "./intents";
import { parseReplyDate, type ReplyDate, type VagueDateDefaults } from "./reply-date";
import type { SoftmaxModel } from "./softmax-model";

const model = modelJson as unknown as SoftmaxModel;
if (model.format !== "refire-triage-softmax/1" || model.labels.join() !== INTENTS.join()) {
  // A model trained for another intent list would silently mislabel every reply.
  throw new Error("lib/triage/model/intent-model.json does not match the intent list; run npm run triage:train");
}

/** Where and when a reply is read. */
export interface ReplyContext {
  now: Date;
  /** The dealership's IANA time zone. */
  timeZone: string;
  vagueDates?: VagueDateDefaults;
}

/** A classified reply. */
export interface ReplyTriage extends IntentVerdict {
  /** For not_now and appointment: the time the reply names, else null. */
  date: ReplyDate | null;
}

/** Classify a reply's intent with the embedded model (no date). */
export function classifyReplyIntent(text: string): IntentVerdict {
  return classifyIntent(model, text);
}

/** Classify a reply and read its date. */
export function triageReply(text: string, context: ReplyContext): ReplyTriage {
  const verdict = classifyIntent(model, text);
  const date = DATED_INTENTS.includes(verdict.intent)
    ? parseReplyDate(text, {
        now: context.now,
        timeZone: context.timeZone,
        language: verdict.language,
        defaults: context.vagueDates,
      })
    : null;
  return { ...verdict, date };
}
