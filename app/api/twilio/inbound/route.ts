/**
 * Twilio's inbound-message webhook. Public in middleware.ts: it authenticates every request by
 * its X-Twilio-Signature (lib/sms/webhook-request.ts).
 */
import { handleInboundWebhook } from "@/lib/sms/inbound-webhook";

export const dynamic = "force-dynamic";

/** Store an inbound SMS and answer TwiML. */
export async function POST(req: Request): Promise<Response> {
  return handleInboundWebhook(req);
}
