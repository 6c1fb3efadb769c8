/**
 * The suggested answer per intent: the dealership's own template when it wrote one (settings),
 * else a default in the reply's language. Templates use the campaign composer's merge fields
 * ({first_name|there}, {last_name}, {vehicle}, {dealer_name}, {rep_name}) plus {date}, the date
 * the reply named, as the dealership's clock shows it. Suggestions are only a starting point that
 * staff edit and send; nothing here sends. Pure; no I/O.
 */
import { z } from "zod";
import { parseTemplate, renderTemplate, type MergeValues } from "@/lib/campaigns/message-template";
import type { Intent } from "./intents";
import type { ReplyLanguage } from "./text-features";

/** Intents that never get a suggested (or automatic) answer: nobody to answer, or no right to. */
export const UNANSWERED_INTENTS: readonly Intent[] = ["opt_out", "wrong_number", "auto_reply"];

/** Intents whose answer may never be sent automatically (the database enforces the same). */
export const NEVER_AUTO_SENT: readonly Intent[] = ["opt_out", "wrong_number", "auto_reply", "hostile"];

type Defaults = Record<Exclude<Intent, "opt_out" | "wrong_number" | "auto_reply">, Record<ReplyLanguage, string>>;

export const DEFAULT_REPLY_TEMPLATES: Defaults = {
  hostile: {
    en: "I'm sorry about your experience, {first_name|there}. I'm {rep_name|the manager} at {dealer_name}; may I call you to make it right?",
    es: "Lamento mucho su experiencia, {first_name|}. Soy {rep_name|el gerente} de {dealer_name}; ¿puedo llamarle para resolverlo?",
  },
  already_bought: {
    en: "Congratulations on the new ride, {first_name|there}! If you ever need service or a trade-in value, {dealer_name} is here.",
    es: "¡Felicidades por su carro nuevo, {first_name|}! Si necesita servicio o valuar su carro, en {dealer_name} estamos para ayudarle.",
  },
  appointment: {
    en: "Great, {first_name|there}! You're set for {date|a visit} at {dealer_name}. Reply here if anything changes. {rep_name}",
    es: "¡Perfecto, {first_name|}! Le esperamos {date|pronto} en {dealer_name}. Si algo cambia, responda aquí. {rep_name}",
  },
  call_me: {
    en: "Will do, {first_name|there}! {rep_name|Someone from our team} at {dealer_name} will call you shortly.",
    es: "¡Claro, {first_name|}! {rep_name|Alguien de nuestro equipo} de {dealer_name} le llamará en breve.",
  },
  question: {
    en: "Good question, {first_name|there}! Let me check and get right back to you. {rep_name}, {dealer_name}",
    es: "¡Buena pregunta, {first_name|}! Déjeme revisar y le respondo enseguida. {rep_name}, {dealer_name}",
  },
  not_now: {
    en: "No problem, {first_name|there}! I'll check back {date|in a little while}. {rep_name}, {dealer_name}",
    es: "¡Sin problema, {first_name|}! Le escribo de nuevo {date|más adelante}. {rep_name}, {dealer_name}",
  },
  not_interested: {
    en: "Understood, {first_name|there}, thanks for letting us know. {dealer_name} is here if anything changes.",
    es: "Entendido, {first_name|}, gracias por avisarnos. {dealer_name} está a sus órdenes si algo cambia.",
  },
  interested: {
    en: "Awesome, {first_name|there}! What are you looking for, and when could you stop by {dealer_name} to take a look?",
    es: "¡Excelente, {first_name|}! ¿Qué está buscando y cuándo podría pasar a {dealer_name} a verlo?",
  },
  other: {
    en: "Thanks, {first_name|there}! Anything I can help you with? {rep_name}, {dealer_name}",
    es: "¡Gracias, {first_name|}! ¿Le puedo ayudar en algo? {rep_name}, {dealer_name}",
  },
};

// {date} is ours, not the composer's: it is filled before the composer's parser sees the text.
const DATE_FIELD = /\{date(?:\|([^{}]*))?\}/g;

/** A dealership's template for an intent: the composer's rules, plus {date}. */
export const replyTemplateSchema = z
  .string()
  .trim()
  .min(1, "Write the answer first.")
  .max(640, "Keep the answer under 640 characters.")
  .superRefine((body, ctx) => {
    const parsed = parseTemplate(body.replace(DATE_FIELD, "date"));
    if (!parsed.ok) for (const e of parsed.errors) ctx.addIssue({ code: "custom", message: e.message });
  });

/** What a suggestion is filled with. */
export interface SuggestionValues extends MergeValues {
  /** The date the reply named, already formatted for people (e.g. "Thu, Mar 5, 9:00 AM"). */
  date?: string | null;
}

/** Fill a template; null when it does not parse (a stored template is validated, so only defaults could). */
export function fillReplyTemplate(template: string, values: SuggestionValues): string | null {
  const withDate = template.replace(DATE_FIELD, (_, fallback: string | undefined) =>
    (values.date ?? fallback ?? "").replace(/[{}]/g, ""),
  );
  const parsed = parseTemplate(withDate);
  if (!parsed.ok) return null;
  return renderTemplate(parsed.template, values).body;
}

/** The suggested answer to a reply of this intent, or null for intents nobody answers. */
export function suggestReply(input: {
  intent: Intent;
  language: ReplyLanguage;
  /** The dealership's own template for the intent, when it wrote one. */
  dealershipTemplate: string | null;
  values: SuggestionValues;
}): string | null {
  if (UNANSWERED_INTENTS.includes(input.intent)) return null;
  const template = input.dealershipTemplate ?? DEFAULT_REPLY_TEMPLATES[input.intent as keyof Defaults][input.language];
  return fillReplyTemplate(template, input.values);
}

/** A date for people, in the dealership's zone ("Thu, Mar 5, 9:00 AM"). */
export function formatReplyDate(date: Date, timeZone: string, language: ReplyLanguage = "en"): string {
  return new Intl.DateTimeFormat(language === "es" ? "es-US" : "en-US", {
    timeZone,
    weekday: "short",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
  }).format(date);
}
