import "server-only";
/**
 * POST /api/twilio/inbound: verify (lib/sms/webhook-request.ts), store the message, answer TwiML
 * at once. A verified request is never refused for rate: a STOP must always be stored. Logs carry sids, ids and masked numbers only.
 */
import { z } from "zod";
import { maskPhone, normalizePhone } from "@/lib/leads/phone";
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

/** Handle Twilio's inbound-message webhook. */
export async function handleInboundWebhook(req: Request): Promise<Response> {
  const verified = await readVerifiedWebhook(req);
  if (!verified.ok) return verified.response;
  const p = verified.params;
  const parsed = inboundParams.safeParse(Object.fromEntries(Object.keys(p).map((k) => [k, param(p, k)])));
  if (!parsed.success) {
    // Signed by Twilio but not an SMS we handle (e.g. a WhatsApp sender): acknowledge, store nothing.
    console.warn(
      `[twilio-inbound] ignored: unexpected parameters (${parsed.error.issues.map((i) => i.path.join(".")).join(", ")})`,
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
    console.warn(`[twilio-inbound] ignored ${f.MessageSid}: sender is not a phone number`);
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
    console.warn(`[twilio-inbound] ${f.MessageSid} to ${maskPhone(f.To)}: no dealership has this number`);
  } else if (outcome.consentChanged) {
    console.info(
      `[twilio-inbound] ${f.MessageSid}: lead ${outcome.leadId} ${outcome.action} (from ${maskPhone(from.e164)})`,
    );
  }
  return twimlHttpResponse(outcome.replies);
}
