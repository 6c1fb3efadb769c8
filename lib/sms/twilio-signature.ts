/**
 * Twilio webhook signatures, checked with twilio's own validator. The URL it signs is the public
 * one we configured at Twilio, so it is rebuilt from APP_BASE_URL and the request's path and query:
 * never from the Host or X-Forwarded-* headers, which whoever sends the request controls.
 * No switch turns this off.
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

/** Check X-Twilio-Signature against the public URL and the raw form parameters. */
export function verifyTwilioSignature(input: {
  authToken: string;
  signature: string | null | undefined;
  url: string;
  params: TwilioParams;
}): SignatureCheck {
  if (!input.signature) return "missing";
  if (!input.authToken) throw new Error("verifyTwilioSignature: no auth token configured");
  return validateRequest(input.authToken, input.signature, input.url, input.params) ? "valid" : "invalid";
}
