/**
 * Twilio webhook signatures, checked with twilio's own validator. The URL it signs is the public
 * one we configured at Twilio, so it is rebuilt from APP_BASE_URL and the request's path and query:
 * never from the Host or X-Forwarded-* headers, which whoever sends the request controls.
 * No switch turns this off.
 *
 * Connection overrides (Twilio's `#rc=…&rt=…` URL fragment that asks for retries and shorter
 * timeouts) are part of the URL configured at Twilio, and Twilio signs the URL as configured,
 * but a fragment never reaches the server. So a signature is also accepted for the request URL
 * with the fragment this product documents (WEBHOOK_CONNECTION_OVERRIDES); any other fragment
 * would need adding here. A signature for the bare URL stays valid, so numbers configured
 * without overrides keep working.
 */
import { validateRequest } from "twilio/lib/webhooks/webhooks";

/** Form parameters as Twilio signs them: a repeated key becomes an array. */
export type TwilioParams = Record<string, string | string[]>;

export type SignatureCheck = "valid" | "missing" | "invalid";

/** Parse an application/x-www-form-urlencoded body into signing parameters. */
export function parseTwilioForm(rawBody: string): TwilioParams {
  const params: TwilioParams = {};
  for (const [key, value] of new URLSearchParams(rawBody)) {
    const prev = params[key];
    params[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return params;
}

/**
 * The URL Twilio signed: APP_BASE_URL's origin plus the path and query the request arrived with
 * (taken verbatim, as Twilio signs the configured URL character for character).
 */
export function publicWebhookUrl(appBaseUrl: string, requestUrl: string): string {
  const origin = new URL(appBaseUrl).origin;
  const { pathname, search } = new URL(requestUrl, origin);
  return `${origin}${pathname}${search}`;
}

/**
 * The connection overrides the README and the settings page tell operators to append to the
 * webhook URLs at Twilio: up to 3 retries on connect/read timeouts and 5xx answers, 1 s to
 * connect, 4 s to answer, 15 s in all (Twilio's maximum), so a short database outage is retried
 * instead of losing the message.
 */
export const WEBHOOK_CONNECTION_OVERRIDES = "#rc=3&rp=ct,rt,5xx&ct=1000&rt=4000&tt=15000";

/** Check X-Twilio-Signature against the public URL (bare, or with our overrides) and the raw form parameters. */
export function verifyTwilioSignature(input: {
  authToken: string;
  signature: string | null | undefined;
  url: string;
  params: TwilioParams;
}): SignatureCheck {
  if (!input.signature) return "missing";
  if (!input.authToken) throw new Error("verifyTwilioSignature: no auth token configured");
  const bare = input.url.split("#")[0]!;
  const signedForms = [bare, `${bare}${WEBHOOK_CONNECTION_OVERRIDES}`];
  return signedForms.some((url) => validateRequest(input.authToken, input.signature!, url, input.params))
    ? "valid"
    : "invalid";
}
