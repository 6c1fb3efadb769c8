/**
 * Twilio's message status callback. Public in middleware.ts: it authenticates every request by
 * its X-Twilio-Signature (lib/sms/webhook-request.ts).
 */
import { handleStatusWebhook } from "@/lib/sms/status-webhook";

export const dynamic = "force-dynamic";

/** Apply a delivery status to the stored message. */
export async function POST(req: Request): Promise<Response> {
  return handleStatusWebhook(req);
}
