/**
 * Requests as Twilio would send them to our webhooks, signed with the test env's auth token for
 * the public URL (APP_BASE_URL + path), for calling a route's POST directly.
 */
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";

/** Sign params for url with the env's TWILIO_AUTH_TOKEN (or the given token). */
export function twilioSignature(
  url: string,
  params: Record<string, string>,
  authToken = process.env.TWILIO_AUTH_TOKEN!,
): string {
  return getExpectedTwilioSignature(authToken, url, params);
}

/** The public URL of a webhook path under APP_BASE_URL. */
export function publicUrl(pathAndQuery: string): string {
  return new URL(pathAndQuery, process.env.APP_BASE_URL!).href;
}

/**
 * A POST to `requestUrl` (what the server sees) carrying params, signed for `signedUrl` (default:
 * the public URL of the same path). Headers can be overridden or removed (value null).
 */
export function signedTwilioRequest(
  pathAndQuery: string,
  params: Record<string, string>,
  opts: { requestUrl?: string; signedUrl?: string; headers?: Record<string, string | null>; body?: string } = {},
): Request {
  const signedUrl = opts.signedUrl ?? publicUrl(pathAndQuery);
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    "x-twilio-signature": twilioSignature(signedUrl, params),
  };
  for (const [k, v] of Object.entries(opts.headers ?? {})) {
    if (v === null) delete headers[k.toLowerCase()];
    else headers[k.toLowerCase()] = v;
  }
  return new Request(opts.requestUrl ?? publicUrl(pathAndQuery), {
    method: "POST",
    headers,
    body: opts.body ?? new URLSearchParams(params).toString(),
  });
}
