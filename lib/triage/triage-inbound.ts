/**
 * Triage of one inbound reply for the webhook: the embedded classifier by default, the operator's
 * LLM when configured and the dealership turned it on (any failure falls back to the embedded
 * one), the date in the dealership's zone, and the consent path's verdict first: a reply the
 * consent rules (or Twilio's OptOutType) took as an opt-out is an opt_out, whatever else it says.
 */
import type { ConsentAction } from "@/lib/sms/consent-keywords";
import { classifyReplyIntent, triageReply } from "./classify-reply";
import { DATED_INTENTS, type Intent } from "./intents";
import { classifyReplyWithLlm, languageModelFor, llmSettingsFromEnv, type LlmSettings } from "./llm-triage";
import { parseReplyDate } from "./reply-date";
import { tokenizeReply, type ReplyLanguage } from "./text-features";

/** The verdict the webhook stores on the message. */
export interface InboundTriage {
  intent: Intent;
  confidence: number;
  /** The time named by a not_now or appointment reply. */
  date: Date | null;
  source: "rule" | "model" | "llm";
  language: ReplyLanguage;
}

let settings: LlmSettings | null | undefined;

function llmSettings(): LlmSettings | null {
  settings ??= llmSettingsFromEnv(process.env);
  return settings;
}

/** Classify an inbound reply (never throws for a model's sake: the embedded classifier answers). */
export async function triageInboundReply(
  body: string,
  context: { now: Date; timeZone: string; llmEnabled: boolean; consentAction: ConsentAction },
): Promise<InboundTriage> {
  if (context.consentAction === "opt_out") {
    return { intent: "opt_out", confidence: 1, date: null, source: "rule", language: tokenizeReply(body).language };
  }
  const llm = context.llmEnabled ? llmSettings() : null;
  if (llm) {
    const verdict = await classifyReplyWithLlm(body, {
      model: languageModelFor(llm),
      timeoutMs: llm.timeoutMs,
      fallback: classifyReplyIntent,
    });
    const language = verdict.provider === "embedded" ? verdict.language : tokenizeReply(body).language;
    const date = DATED_INTENTS.includes(verdict.intent)
      ? parseReplyDate(body, { now: context.now, timeZone: context.timeZone, language })
      : null;
    return {
      intent: verdict.intent,
      confidence: verdict.confidence,
      date: date ? new Date(date.iso) : null,
      source: verdict.provider === "llm" ? "llm" : verdict.source,
      language,
    };
  }
  const t = triageReply(body, { now: context.now, timeZone: context.timeZone });
  return {
    intent: t.intent,
    confidence: t.confidence,
    date: t.date ? new Date(t.date.iso) : null,
    source: t.source,
    language: t.language,
  };
}
