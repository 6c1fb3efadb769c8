/**
 * E-mails about support access to a dealership's owners: when an operator asks (so an owner need
 * not sign in to find out someone is waiting) and when an owner grants it (so the co-owners know
 * who is reading, and until when). They say who asks and why, that nothing is visible before an
 * owner grants it, and link to Settings → Support access; no lead data, no token in the link.
 * A notice is a courtesy next to the in-app banner: it never fails or delays the request or the
 * grant (callers run it after answering), and a failure is logged without addresses.
 */
import { withService } from "@/lib/db/scope";
import { serverEnv } from "@/lib/env/server-env";
import { sendNoticeEmail, NoticeTransportMissingError, type SendNoticeEmail } from "@/lib/mail/notice-email";
import { logger } from "@/lib/observability/logger";
import { composeSupportNotice, type SupportNoticeEvent, type SupportNoticeFacts } from "./support-notice-text";

/**
 * E-mail the dealership's owners about a support request that was just made or granted. Never
 * throws: a failure (no transport, the mail relay down, the database busy) is logged and the
 * count of notices sent returned.
 */
export async function notifySupportOwners(
  requestId: string,
  event: SupportNoticeEvent,
  send: SendNoticeEmail = sendNoticeEmail,
): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  try {
    const rows = await withService(
      "support_notifier",
      ({ sql }) =>
        sql<
          (SupportNoticeFacts & { owner_email: string })[]
        >`select * from private.support_request_notice(${requestId})`,
    );
    const link = new URL("/settings/support", serverEnv().APP_BASE_URL).toString();
    for (const row of rows) {
      const { subject, text } = composeSupportNotice(event, row, link);
      try {
        await send({ to: row.owner_email, subject, text, link });
        sent++;
      } catch (err) {
        failed++;
        if (err instanceof NoticeTransportMissingError) {
          logger().warn({ event: "support_notice_not_sent", kind: event, requestId }, err.message);
          break;
        }
        logger().error(
          { event: "support_notice_failed", kind: event, requestId, error: (err as Error).name },
          "support access e-mail to an owner failed",
        );
      }
    }
  } catch (err) {
    logger().error(
      { event: "support_notice_failed", kind: event, requestId, error: (err as Error).name },
      "support access e-mails could not be prepared",
    );
  }
  return { sent, failed };
}
