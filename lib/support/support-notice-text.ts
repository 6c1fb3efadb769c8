/**
 * The words of the support access e-mails (lib/support/support-notices.ts sends them; the local
 * demo seed delivers one too). Pure: no database, no environment.
 */
/** Which moment a notice is about. */
export type SupportNoticeEvent = "requested" | "granted";

/** What a notice says about one request (private.support_request_notice, less the recipient). */
export interface SupportNoticeFacts {
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

function operatorLabel(r: SupportNoticeFacts): string {
  if (r.operator_name && r.operator_email) return `${r.operator_name} (${r.operator_email})`;
  return r.operator_email ?? r.operator_name ?? "A platform operator";
}

/** The subject and plain text of one notice; `link` is the absolute URL of Settings → Support access. */
export function composeSupportNotice(
  event: SupportNoticeEvent,
  r: SupportNoticeFacts,
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
