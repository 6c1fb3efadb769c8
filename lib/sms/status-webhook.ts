import "server-only";
/**
 * POST /api/twilio/status: delivery status callbacks. The message is found by MessageSid, or by
 * the message id the app put in the StatusCallback URL (?m=…) when the callback beats the app's
 * own write of the sid. The database keeps terminal statuses terminal, whatever the order, and
 * moves the campaign queue row of a campaign message with it (delivered, or failed with Twilio's
 * error classified here: a landline or an invalid number marks the lead's phone, 30007 counts as
 * carrier filtering towards the campaign's auto-pause).
 */
import { z } from "zod";
import { classifyTwilioFailure } from "@/lib/campaigns/twilio-errors";
import { withService } from "@/lib/db/scope";
import { logger, withRequestId } from "@/lib/observability/logger";
import { failureResponse, param, readVerifiedWebhook } from "./webhook-request";

const DELIVERY_STATUSES = [
  "accepted",
  "scheduled",
  "queued",
  "sending",
  "sent",
  "delivered",
  "undelivered",
  "failed",
  "canceled",
] as const;

const statusParams = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-f]{32}$/),
  MessageStatus: z.enum(DELIVERY_STATUSES),
  ErrorCode: z.coerce.number().int().min(0).max(99999).optional(),
  From: z.string().max(64).optional(),
  MessagingServiceSid: z
    .string()
    .regex(/^MG[0-9a-f]{32}$/)
    .optional(),
});

/** Result of one callback. */
export interface StatusOutcome {
  messageId: string | null;
  status: string | null;
  applied: boolean;
}

/** Apply one status to the stored message (no-op for unknown messages). */
export async function applyStatusCallback(input: {
  messageId: string | null;
  messageSid: string;
  status: (typeof DELIVERY_STATUSES)[number];
  errorCode: number | null;
}): Promise<StatusOutcome> {
  const failed = input.status === "undelivered" || input.status === "failed";
  const failure = failed ? classifyTwilioFailure({ code: input.errorCode }) : null;
  // As the sms_webhook service; the database function finds the message (and so the dealership) itself.
  return withService("sms_webhook", async ({ sql }) => {
    const [row] = await sql<{ message_id: string; status: string; applied: boolean }[]>`
      select * from private.apply_status_callback(${input.messageId}, ${input.messageSid}, ${input.status},
        ${input.errorCode}, ${failure?.kind ?? null}, ${failure?.phoneMark ?? null})`;
    return row
      ? { messageId: row.message_id, status: row.status, applied: row.applied }
      : { messageId: null, status: null, applied: false };
  });
}

/** Handle Twilio's message status callback (its log lines carry a request id of their own). */
export async function handleStatusWebhook(req: Request): Promise<Response> {
  return withRequestId(req.headers.get("x-request-id"), () => handleStatus(req));
}

async function handleStatus(req: Request): Promise<Response> {
  const verified = await readVerifiedWebhook(req);
  if (!verified.ok) return verified.response;
  const p = verified.params;
  const parsed = statusParams.safeParse(Object.fromEntries(Object.keys(p).map((k) => [k, param(p, k)])));
  if (!parsed.success) return new Response(null, { status: 204 }); // statuses we do not track (e.g. "read")
  const f = parsed.data;
  const hint = z.uuid().safeParse(verified.url.searchParams.get("m"));
  try {
    // No rate limit here: verified callbacks (about two per sent message) are never refused.
    const outcome = await applyStatusCallback({
      messageId: hint.success ? hint.data : null,
      messageSid: f.MessageSid,
      status: f.MessageStatus,
      errorCode: f.ErrorCode ?? null,
    });
    if (!outcome.messageId) {
      logger().warn({ event: "twilio_status_unknown_message", messageSid: f.MessageSid }, "status for no such message");
    }
    return new Response(null, { status: 204 });
  } catch (err) {
    return failureResponse("twilio-status", err);
  }
}
