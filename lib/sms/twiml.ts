/**
 * TwiML answers to the inbound webhook: empty (<Response/>) unless the app replies in the same
 * breath, e.g. the HELP text, which Twilio then sends without another API call.
 */

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Escape text for an XML element body. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** A TwiML document with one <Message> per reply (none: `<Response/>`). */
export function twimlResponse(replies: readonly string[] = []): string {
  const head = '<?xml version="1.0" encoding="UTF-8"?>';
  if (replies.length === 0) return `${head}<Response/>`;
  return `${head}<Response>${replies.map((r) => `<Message>${escapeXml(r)}</Message>`).join("")}</Response>`;
}

/** The HTTP answer Twilio expects from a messaging webhook. */
export function twimlHttpResponse(replies: readonly string[] = []): Response {
  return new Response(twimlResponse(replies), {
    status: 200,
    headers: { "content-type": "text/xml; charset=utf-8", "cache-control": "no-store" },
  });
}
