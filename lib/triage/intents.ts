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
