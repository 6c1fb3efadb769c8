import "server-only";
/**
 * Sending one SMS to a lead as the signed-in user. Three steps so no transaction stays open
 * while Twilio is called: (1) queue_outbound_message stores it as 'pending' after the last consent
 * and do-not-contact check; (2) the SDK call, retried on 429/5xx; (3) record_outbound_result
 * stores Twilio's answer (a 21610 opts the lead out in the same call).
 */
import { logger } from "@/lib/observability/logger";
import { randomUUID } from "node:crypto";
import type { RunInScope, UserScope } from "@/lib/db/scope";
import { serverEnv } from "@/lib/env/server-env";
import { decryptLeadPii } from "@/lib/leads/lead-fields";
import { AppError, ownSqlError, SQL_ERROR_MESSAGES } from "@/lib/server/app-error";
import { encryptMessageBody } from "./message-body";
import { MAX_BODY_CHARS } from "./message-limits";
import { countSmsSegments } from "./segments";
import { smsGatewayFromEnv, SmsSendError, type SmsGateway } from "./sms-gateway";

/** What to send (to a lead of the scope's dealership). */
export interface SendMessageInput {
  leadId: string;
  body: string;
}

/** The stored message after the send. */
export interface SentMessage {
  messageId: string;
  conversationId: string;
  status: string;
  twilioSid: string | null;
  segments: number;
}

interface QueuedRow {
  conversation_id: string;
  /** The lead's record envelope, or (a row not converted yet) its phone envelope. */
  lead_pii_enc: string | null;
  lead_phone_enc: string | null;
  from_number: string | null;
  messaging_service_sid: string | null;
}

/**
 * Why the queue refused: our own SQL codes (opted out, no sending number, no phone) carry their
 * messages in SQL_ERROR_MESSAGES; here, "not allowed" means a lead the user cannot see.
 */
function queueRefusal(err: unknown): unknown {
  const code = (err as { code?: unknown })?.code;
  if (code === "42501") return new AppError("not_found", "That lead does not exist or is not yours.");
  return ownSqlError(err) ?? err;
}

function refusalFor(err: SmsSendError): AppError {
  if (err.code === 21610) return new AppError("conflict", "This lead has opted out of text messages.");
  if (err.code === 21211 || err.code === 21614)
    return new AppError("invalid_input", "This lead's phone number cannot receive text messages.");
  return new AppError("internal", "Twilio did not accept the message. Please try again in a minute.");
}

/**
 * Send `body` to a lead as the signed-in user; throws AppError (opted out, no number, refused by
 * Twilio…). `run` opens a fresh scope per step (UserContext.run), so no transaction spans the call.
 */
export async function sendMessageToLead(
  run: RunInScope<UserScope>,
  input: SendMessageInput,
  gateway: SmsGateway = smsGatewayFromEnv(),
): Promise<SentMessage> {
  const body = input.body.trim();
  if (body === "" || body.length > MAX_BODY_CHARS) {
    throw new AppError("invalid_input", `A message must be 1 to ${MAX_BODY_CHARS} characters.`, { body: ["Length"] });
  }
  const messageId = randomUUID();
  const segments = countSmsSegments(body).segments;
  const { dealershipId, ...queued } = await run(async ({ sql, dealershipId }) => {
    const [row] = await sql<QueuedRow[]>`select * from public.queue_outbound_message(
      ${dealershipId}, ${input.leadId}, ${messageId}, ${encryptMessageBody(body, dealershipId, messageId)}, ${segments})`;
    return { ...row!, dealershipId };
  }).catch((err: unknown) => {
    throw queueRefusal(err);
  });

  const to = decryptLeadPii({
    id: input.leadId,
    dealership_id: dealershipId,
    pii_enc: queued.lead_pii_enc,
    phone_enc: queued.lead_phone_enc,
  }).phone;
  if (!to) {
    // The record holds no phone (the database checked the phone's blind index): same refusal as RL003.
    const noPhone = SQL_ERROR_MESSAGES.RL003!;
    throw new AppError(noPhone.code, noPhone.message);
  }
  const record = (sid: string | null, status: string, errorCode: number | null) =>
    run(
      ({ sql }) =>
        sql<
          { status: string }[]
        >`select public.record_outbound_result(${messageId}, ${sid}, ${status}, ${errorCode}) as status`,
    ).then((r) => r[0]!.status);
  const statusCallback = `${new URL(serverEnv().APP_BASE_URL).origin}/api/twilio/status?m=${messageId}`;

  let sent;
  try {
    sent = await gateway.send({
      to,
      from: queued.from_number,
      messagingServiceSid: queued.messaging_service_sid,
      body,
      statusCallback,
    });
  } catch (err) {
    if (!(err instanceof SmsSendError)) throw err;
    await record(null, "failed", err.code);
    throw refusalFor(err);
  }
  // Twilio has the message now; if this write fails, the status callback (?m=) still links the sid.
  const status = await record(sent.sid, sent.status, null).catch((err) => {
    logger().error(
      { event: "sms_send_record_failed", messageSid: sent.sid, code: (err as { code?: string }).code ?? "error" },
      "could not record the send result",
    );
    return "pending";
  });
  return { messageId, conversationId: queued.conversation_id, status, twilioSid: sent.sid, segments };
}
