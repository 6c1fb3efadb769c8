/**
 * The reply intents, in priority order: when several fit one message, the first in this list wins
 * (an opt-out buried in an angry message is an opt-out; "bought one, call me" is already_bought).
 */
import { z } from "zod";

export const INTENTS = [
  "opt_out",
  "wrong_number",
  "auto_reply",
  "hostile",
  "already_bought",
  "appointment",
  "call_me",
  "question",
  "not_now",
  "not_interested",
  "interested",
  "other",
] as const;

export type Intent = (typeof INTENTS)[number];

export const intentSchema = z.enum(INTENTS);

/** Intents a person should answer: the "needs a person" queue of the inbox. */
export const NEEDS_PERSON_INTENTS: readonly Intent[] = ["appointment", "call_me", "question", "hostile", "interested"];

/** Intents whose message may carry a date worth keeping (a follow-up or a proposed visit). */
export const DATED_INTENTS: readonly Intent[] = ["not_now", "appointment"];

/** How an intent reads in the UI. */
export const INTENT_LABELS: Record<Intent, string> = {
  opt_out: "Opt-out",
  wrong_number: "Wrong number",
  auto_reply: "Auto-reply",
  hostile: "Hostile",
  already_bought: "Already bought",
  appointment: "Appointment",
  call_me: "Call me",
  question: "Question",
  not_now: "Not now",
  not_interested: "Not interested",
  interested: "Interested",
  other: "Other",
};
