import "server-only";
/**
 * POST /api/twilio/inbound: verify (lib/sms/webhook-request.ts), store the message, answer TwiML
 * at once. A verified request is never refused for rate: a STOP must always be stored. Logs carry sids, ids and masked numbers only.
 */
import { z } from "zod";
import { maskPhone, normalizePhone } from "@/lib/leads/phone";
import { logger, withRequestId } from "@/lib/observability/logger";
import { recordInboundSms } from "./inbound-sms";
import { twimlHttpResponse } from "./twiml";
import { failureResponse, param, readVerifiedWebhook } from "./webhook-request";

const inboundParams = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-f]{32}$/),
  From: z.string().min(1).max(64),
  To: z.string().regex(/^\+[1-9]\d{6,14}$/),
  Body: z.string().max(8000).default(""),
  NumMedia: z.coerce.number().int().min(0).max(10).catch(0),
  MessagingServiceSid: z
    .string()
    .regex(/^MG[0-9a-f]{32}$/)
    .optional(),
  OptOutType: z.string().max(32).optional(),
});

/** Handle Twilio's inbound-message webhook (its log lines carry a request id of their own). */
export async function handleInboundWebhook(req: Request): Promise<Response> {
  return withRequestId(req.headers.get("x-request-id"), () => handleInbound(req));
}

async function handleInbound(req: Request): Promise<Response> {
  const verified = await readVerifiedWebhook(req);
  if (!verified.ok) return verified.response;
  const p = verified.params;
  const parsed = inboundParams.safeParse(Object.fromEntries(Object.keys(p).map((k) => [k, param(p, k)])));
  if (!parsed.success) {
    // Signed by Twilio but not an SMS we handle (e.g. a WhatsApp sender): acknowledge, store nothing.
    logger().warn(
      { event: "twilio_inbound_ignored", parameters: parsed.error.issues.map((i) => i.path.join(".")) },
      "inbound webhook ignored: unexpected parameters",
    );
    return twimlHttpResponse();
  }
  const f = parsed.data;
  try {
    return await storeAndAnswer(f);
  } catch (err) {
    return failureResponse("twilio-inbound", err);
  }
}

async function storeAndAnswer(f: z.infer<typeof inboundParams>): Promise<Response> {
  const from = normalizePhone(f.From);
  if (!from.ok) {
    logger().warn(
      { event: "twilio_inbound_ignored", messageSid: f.MessageSid },
      "inbound webhook ignored: sender is not a phone number",
    );
    return twimlHttpResponse();
  }
  const outcome = await recordInboundSms({
    messageSid: f.MessageSid,
    from: from.e164,
    to: f.To,
    body: f.Body,
    numMedia: f.NumMedia,
    messagingServiceSid: f.MessagingServiceSid ?? null,
    optOutType: f.OptOutType ?? null,
  });
  if (outcome.kind === "unrouted") {
    logger().warn(
      { event: "twilio_inbound_unrouted", messageSid: f.MessageSid, number: maskPhone(f.To) },
      "no dealership has this number",
    );
  } else if (outcome.consentChanged) {
    logger().info(
      {
        event: "twilio_inbound_consent",
        messageSid: f.MessageSid,
        leadId: outcome.leadId,
        action: outcome.action,
        sender: maskPhone(from.e164),
      },
      "consent changed by an inbound text",
    );
  }
  return twimlHttpResponse(outcome.replies);
}
