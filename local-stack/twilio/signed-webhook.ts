/**
 * Webhook posts signed exactly as Twilio signs them: X-Twilio-Signature is the base64
 * HMAC-SHA1, keyed by the auth token, of the URL followed by every parameter name and value in
 * sorted order (twilio's own getExpectedTwilioSignature computes it).
 */
import { randomUUID } from "node:crypto";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";

/** How the emulator sends HTTP: fetch by default; tests may hand requests straight to a route. */
export type Dispatch = (url: string, init: RequestInit) => Promise<Response>;

/** POST params as a form to url, signed with authToken. */
export async function postSignedForm(
  dispatch: Dispatch,
  authToken: string,
  url: string,
  params: Record<string, string>,
): Promise<Response> {
  return dispatch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      "X-Twilio-Signature": getExpectedTwilioSignature(authToken, url, params),
      "I-Twilio-Idempotency-Token": randomUUID(),
      "User-Agent": "TwilioProxy/1.1",
    },
    body: new URLSearchParams(params).toString(),
    signal: AbortSignal.timeout(15_000), // Twilio gives up on a webhook after 15 s
  });
}
