import "server-only";
/**
 * The checks every Twilio webhook passes before any work or any write: a form body (415), at
 * most 64 KB (413), a signature (400 when missing, 403 when wrong) valid for the public URL built
 * from APP_BASE_URL. Only then are the parameters handed on.
 *
 * Rate: a verified Twilio request is never refused for rate (a busy number must never have a
 * STOP answered 429, which Twilio does not retry). The webhook limit (100/min) counts only
 * requests that fail these checks, per client address: a forged flood costs one counter update
 * per request and is answered 429 after its first hundred in a minute.
 */
import { enforceRateLimit } from "@/lib/rate-limit/rate-limit";
import { serverEnv } from "@/lib/env/server-env";
import { logger } from "@/lib/observability/logger";
import { AppError, toAppError } from "@/lib/server/app-error";
import { parseTwilioForm, publicWebhookUrl, verifyTwilioSignature, type TwilioParams } from "./twilio-signature";
import { webhookClientAddress } from "./webhook-client-address";

export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

/** A verified webhook, or the response that refuses it. */
export type VerifiedWebhook = { ok: true; params: TwilioParams; url: URL } | { ok: false; response: Response };

/** A short plain-text refusal (Twilio only looks at the status). */
export function webhookRefusal(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(message, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

/** The body as text, or null as soon as it exceeds the limit (a lying Content-Length included). */
async function readLimited(req: Request, limit: number): Promise<string | null> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Refuse a request that failed verification, counting it against its client address: over the
 * limit the answer is 429 instead. Only refusals reach the limiter (one database write each).
 */
async function refuseUnverified(req: Request, status: number, message: string): Promise<VerifiedWebhook> {
  try {
    await enforceRateLimit("webhook", `sms-unverified:${webhookClientAddress(req.headers)}`);
  } catch (err) {
    const limited = rateLimited(err);
    if (limited) return { ok: false, response: limited };
    // The limiter itself failed (database down): the request is refused all the same.
  }
  return { ok: false, response: webhookRefusal(status, message) };
}

/** Read and verify a Twilio webhook request. */
export async function readVerifiedWebhook(req: Request): Promise<VerifiedWebhook> {
  const refuse = (status: number, message: string) => refuseUnverified(req, status, message);
  const contentType = req.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (contentType !== "application/x-www-form-urlencoded")
    return refuse(415, "Expected application/x-www-form-urlencoded.");
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_WEBHOOK_BODY_BYTES) return refuse(413, "Body too large.");
  const signature = req.headers.get("x-twilio-signature");
  if (!signature) return refuse(400, "Missing X-Twilio-Signature.");
  const raw = await readLimited(req, MAX_WEBHOOK_BODY_BYTES);
  if (raw === null) return refuse(413, "Body too large.");

  const env = serverEnv();
  const url = publicWebhookUrl(env.APP_BASE_URL, req.url);
  const params = parseTwilioForm(raw);
  if (verifyTwilioSignature({ authToken: env.TWILIO_AUTH_TOKEN, signature, url, params }) !== "valid") {
    return refuse(403, "Invalid signature.");
  }
  return { ok: true, params, url: new URL(url) };
}

/** One value of a form parameter (the first, if Twilio repeated it). */
export function param(params: TwilioParams, name: string): string | undefined {
  const v = params[name];
  return Array.isArray(v) ? v[0] : v;
}

/** 429 with Retry-After when err is a rate-limit refusal, else null. */
export function rateLimited(err: unknown): Response | null {
  if (!(err instanceof AppError) || err.code !== "rate_limited") return null;
  return webhookRefusal(429, "Too many requests.", { "retry-after": String(err.retryAfterSeconds ?? 60) });
}

/** 500 for anything unexpected; toAppError logs only a code or our own message, never PII. */
export function failureResponse(where: string, err: unknown): Response {
  const e = toAppError(err);
  logger().error({ event: "webhook_failed", webhook: where, code: e.code }, "webhook failed");
  return webhookRefusal(500, "Could not process the webhook.");
}
