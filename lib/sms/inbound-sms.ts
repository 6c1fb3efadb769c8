import "server-only";
/**
 * Storing an inbound SMS: To → dealership (by its sending number or Messaging Service), From →
 * lead (by the phone blind index; an unknown sender becomes a new lead, source "inbound SMS"),
 * body encrypted, consent keyword applied, HELP answered. The database function does all of it
 * in one statement and stores a retried MessageSid once. It runs as the sms_webhook service: the
 * number texted names the dealership, and the rest of the work is scoped to it.
 */
import { randomUUID } from "node:crypto";
import { blindIndex } from "@/lib/crypto/blind-index";
import { withService } from "@/lib/db/scope";
import { encryptLeadPii } from "@/lib/leads/lead-fields";
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
    const [row] = await sql<InboundMessageRow[]>`
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
    if (!row) throw new Error("record_inbound_message returned nothing");
    return {
      kind: row.duplicate ? "duplicate" : "stored",
      dealershipId,
      messageId: row.message_id,
      leadId: row.lead_id,
      leadCreated: row.lead_created,
      consentChanged: row.consent_changed,
      action: consent.action,
      needsReview: consent.needsReview,
      // A retry means Twilio never got our first answer, so the HELP text is sent again (not stored twice).
      replies: help ? [help] : [],
    };
  });
}
