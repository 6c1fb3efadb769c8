import "server-only";
/**
 * Storing an inbound SMS: To → dealership (by its sending number or Messaging Service), From →
 * lead (by the phone blind index; an unknown sender becomes a new lead, source "inbound SMS"),
 * body encrypted, consent keyword applied, HELP answered. The database function does all of it
 * in one statement and stores a retried MessageSid once. It runs as the sms_webhook service: the
 * number texted names the dealership, and the rest of the work is scoped to it. Then the reply is
 * triaged (lib/triage): its intent, confidence and date are stored and the automatic action taken
 * by private.record_reply_triage in the same transaction, and an automatic answer the dealership
 * turned on for that intent goes back with the TwiML (stored like the HELP answer).
 */
import { randomUUID } from "node:crypto";
import type { TransactionSql } from "postgres";
import { blindIndex } from "@/lib/crypto/blind-index";
import { withService } from "@/lib/db/scope";
import { decryptLeadPiiPerField, encryptLeadPii } from "@/lib/leads/lead-fields";
import type { Intent } from "@/lib/triage/intents";
import { fillReplyTemplate, formatReplyDate } from "@/lib/triage/suggested-replies";
import { triageInboundReply, type InboundTriage } from "@/lib/triage/triage-inbound";
import { classifyConsentKeyword, consentSourceFor } from "./consent-keywords";
import { helpReplyText } from "./help-reply";
import { encryptMessageBody } from "./message-body";
import { countSmsSegments } from "./segments";

/** The fields of Twilio's inbound webhook the app uses. From and To are E.164. */
export interface InboundSms {
  messageSid: string;
  from: string;
  to: string;
  body: string;
  numMedia: number;
  messagingServiceSid: string | null;
  optOutType: string | null;
}

/** What became of it; `replies` go back to Twilio as TwiML. */
export type InboundOutcome =
  | { kind: "unrouted"; replies: string[] }
  | {
      kind: "stored" | "duplicate";
      dealershipId: string;
      messageId: string;
      leadId: string;
      leadCreated: boolean;
      consentChanged: boolean;
      action: ReturnType<typeof classifyConsentKeyword>["action"];
      needsReview: boolean;
      /** The reply's intent (null for a retry: it was triaged the first time). */
      intent: Intent | null;
      /** What the triage did on its own ("phone_marked_wrong", "lead_closed", "follow_up_set", "flagged"). */
      triageAction: string | null;
      replies: string[];
    };

/** What private.record_inbound_message answers. */
interface InboundMessageRow {
  message_id: string;
  lead_id: string;
  conversation_id: string;
  duplicate: boolean;
  lead_created: boolean;
  consent_changed: boolean;
}

/** What private.record_reply_triage answers. */
interface ReplyTriageRow {
  action: string;
  auto_answer: string | null;
  lead_id: string | null;
  pii_enc: string | null;
  first_name_enc: string | null;
  last_name_enc: string | null;
  dealer_name: string | null;
}

interface TriageContext {
  timezone: string;
  llm_enabled: boolean;
}

// A dealership's zone and LLM opt-in, kept for a minute: they change rarely, and a busy number
// then pays for no extra round trip. A change takes effect within CONTEXT_TTL_MS.
const CONTEXT_TTL_MS = 60_000;
const contextCache = new Map<string, { at: number; value: TriageContext }>();

async function triageContext(sql: TransactionSql, dealershipId: string): Promise<TriageContext> {
  const cached = contextCache.get(dealershipId);
  if (cached && Date.now() - cached.at < CONTEXT_TTL_MS) return cached.value;
  const [value] = await sql<TriageContext[]>`select * from private.reply_triage_context(${dealershipId})`;
  if (!value) throw new Error("reply_triage_context returned nothing");
  if (contextCache.size > 1000) contextCache.clear();
  contextCache.set(dealershipId, { at: Date.now(), value });
  return value;
}

/** Store one inbound SMS (idempotent by MessageSid). */
export async function recordInboundSms(sms: InboundSms): Promise<InboundOutcome> {
  const consent = classifyConsentKeyword(sms.body, sms.optOutType);
  return withService("sms_webhook", async (session) => {
    const [route] = await session.sql<{ sending_number_id: string; dealership_id: string; dealership_name: string }[]>`
      select * from private.route_inbound_sms(${sms.to}, ${sms.messagingServiceSid})`;
    if (!route) return { kind: "unrouted", replies: [] };
    const { sql, dealershipId } = session.forDealership(route.dealership_id);
    const messageId = randomUUID();
    const newLeadId = randomUUID();
    const help = consent.action === "help" ? helpReplyText(route.dealership_name) : null;
    const replyId = help ? randomUUID() : null;
    // Triage first, before any row is locked: the classifier's CPU time (and an LLM's, when the
    // dealership turned one on) must not hold the lead's conversation row that concurrent replies wait for.
    const context = await triageContext(sql, dealershipId);
    const triage = await triageInboundReply(sms.body, {
      now: new Date(),
      timeZone: context.timezone,
      llmEnabled: context.llm_enabled,
      consentAction: consent.action,
    });
    const recordQuery = sql<InboundMessageRow[]>`
      select * from private.record_inbound_message(
        p_sending_number_id => ${route.sending_number_id},
        p_message_id => ${messageId},
        p_twilio_sid => ${sms.messageSid},
        p_body_enc => ${encryptMessageBody(sms.body, dealershipId, messageId)},
        p_segments => ${Math.min(100, countSmsSegments(sms.body).segments)},
        p_num_media => ${sms.numMedia},
        p_phone_bidx => ${blindIndex("phone", sms.from, dealershipId)},
        p_new_lead_id => ${newLeadId},
        p_new_lead_pii_enc => ${encryptLeadPii({ phone: sms.from }, dealershipId, newLeadId).pii_enc},
        p_consent_action => ${consent.action},
        p_consent_source => ${consentSourceFor(consent)},
        p_needs_review => ${consent.needsReview},
        p_reply_id => ${replyId},
        p_reply_body_enc => ${help && replyId ? encryptMessageBody(help, dealershipId, replyId) : null},
        p_reply_segments => ${help ? countSmsSegments(help).segments : null})`;
    // The verdict targets the id chosen above: for a retried MessageSid that id was never stored,
    // so nothing is triaged twice. One round trip: postgres.js pipelines both statements.
    const triageQuery = sql<ReplyTriageRow[]>`
      select * from private.record_reply_triage(${messageId}, ${triage.intent}, ${triage.confidence},
        ${triage.date}, ${triage.source})`;
    const [[row], [t]] = await Promise.all([recordQuery, triageQuery]);
    if (!row) throw new Error("record_inbound_message returned nothing");
    const replies = help ? [help] : [];
    // An automatic answer only to an ordinary reply: never with HELP's text, a keyword or an opt-out.
    if (!row.duplicate && t?.auto_answer && consent.action === "none") {
      const answer = autoAnswerText(t, triage, dealershipId, context.timezone);
      if (answer) {
        const answerId = randomUUID();
        await sql`select private.record_auto_answer(${row.message_id}, ${answerId},
          ${encryptMessageBody(answer, dealershipId, answerId)}, ${countSmsSegments(answer).segments})`;
        replies.push(answer);
      }
    }
    return {
      kind: row.duplicate ? "duplicate" : "stored",
      dealershipId,
      messageId: row.message_id,
      leadId: row.lead_id,
      leadCreated: row.lead_created,
      consentChanged: row.consent_changed,
      action: consent.action,
      needsReview: consent.needsReview,
      intent: row.duplicate ? null : triage.intent,
      triageAction: row.duplicate ? null : (t?.action ?? null),
      // A retry means Twilio never got our first answer, so the HELP text is sent again (not stored twice).
      replies,
    };
  });
}

/** The dealership's automatic answer filled for this lead (names decrypted here, never logged). */
function autoAnswerText(
  t: ReplyTriageRow,
  triage: InboundTriage,
  dealershipId: string,
  timeZone: string,
): string | null {
  if (!t.auto_answer || !t.lead_id) return null;
  const { pii } = decryptLeadPiiPerField({
    id: t.lead_id,
    dealership_id: dealershipId,
    pii_enc: t.pii_enc,
    first_name_enc: t.first_name_enc,
    last_name_enc: t.last_name_enc,
  });
  return fillReplyTemplate(t.auto_answer, {
    first_name: pii.firstName ?? null,
    last_name: pii.lastName ?? null,
    dealer_name: t.dealer_name,
    date: triage.date ? formatReplyDate(triage.date, timeZone, triage.language) : null,
  });
}
