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

export type SupportNoticeEvent = "requested" | "granted";

interface NoticeRow {
  owner_email: string;
  dealership_name: string;
  dealership_timezone: string;
  operator_name: string | null;
  operator_email: string | null;
  reason: string;
  status: string;
  decided_by_name: string | null;
  expires_at: Date | null;
}

/** The date and time the grant ends, e.g. "Nov 24, 2026, 3:30 PM EST" in the dealership's time zone (UTC if unknown). */
export function formatUntil(at: Date, timeZone: string): string {
  const opts: Intl.DateTimeFormatOptions = {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  };
  try {
    return new Intl.DateTimeFormat("en-US", { ...opts, timeZone }).format(at);
  } catch {
    return new Intl.DateTimeFormat("en-US", { ...opts, timeZone: "UTC" }).format(at);
  }
}

function operatorLabel(r: NoticeRow): string {
  if (r.operator_name && r.operator_email) return `${r.operator_name} (${r.operator_email})`;
  return r.operator_email ?? r.operator_name ?? "A platform operator";
}

/** The subject and text of one notice (exported for its test). */
export function composeSupportNotice(
  event: SupportNoticeEvent,
  r: NoticeRow,
  link: string,
): { subject: string; text: string } {
  const who = operatorLabel(r);
  if (event === "requested") {
    return {
      subject: `A RefireLeads operator asks for support access to ${r.dealership_name}`,
      text: [
        `${who}, a RefireLeads platform operator, asks for read access to ${r.dealership_name}'s data.`,
        "",
        `Reason given: ${r.reason}`,
        "",
        "Nothing is visible to them until an owner grants access. You choose for how long (1 hour by default),",
        "can end it at any time, and every page they open is recorded in your audit log.",
        "",
        `Grant or deny it under Settings → Support access: ${link}`,
        "The request lapses by itself if nobody answers within 24 hours.",
      ].join("\n"),
    };
  }
  const until = r.expires_at ? formatUntil(r.expires_at, r.dealership_timezone) : "a limited time";
  return {
    subject: `Support access to ${r.dealership_name} was granted`,
    text: [
      `${r.decided_by_name ?? "An owner"} granted ${who}, a RefireLeads platform operator, read access to`,
      `${r.dealership_name}'s data until ${until}.`,
      "",
      `Reason given: ${r.reason}`,
      "",
      "Every page they open is recorded in your audit log. Any owner can end the access at once",
      `under Settings → Support access: ${link}`,
    ].join("\n"),
  };
}

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
      ({ sql }) => sql<NoticeRow[]>`select * from private.support_request_notice(${requestId})`,
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
