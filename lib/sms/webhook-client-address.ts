/**
 * The address a webhook request came from, for the limit on requests that fail verification.
 * The LAST X-Forwarded-For hop is the one our own proxy appended (the connecting address it
 * saw); earlier hops are whatever the client wrote, so they are never used. Without the header,
 * x-real-ip (set by Vercel and most reverse proxies). The login's trusted-proxy handling in
 * lib/auth may replace this once it lands; until then webhooks keep their own small reader.
 */

/** The client address as our proxy reports it, or "unknown". */
export function webhookClientAddress(headers: Headers): string {
  const hops =
    headers
      .get("x-forwarded-for")
      ?.split(",")
      .map((h) => h.trim())
      .filter(Boolean) ?? [];
  return hops.at(-1) || headers.get("x-real-ip")?.trim() || "unknown";
}
