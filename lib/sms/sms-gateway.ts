import "server-only";
/**
 * The one way the app sends an SMS: the twilio SDK's Messages create call, with bounded retries
 * on 429 and 5xx. Twilio's error answers become SmsSendError with Twilio's code (21211 invalid
 * number, 21610 recipient opted out, 20429 too many requests…). Locally and in tests the SDK is
 * pointed at the emulator through BaseUrlRequestClient; nothing else differs.
 */
import { serverEnv } from "@/lib/env/server-env";
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from "./send-retry";
import { createTwilioClient } from "./twilio-client";

/** Credentials and where the API lives. */
export interface SmsGatewayConfig {
  accountSid: string;
  authToken: string;
  /** Only for the local emulator; production uses the SDK's own https://api.twilio.com. */
  apiBaseUrl?: string;
  retry?: RetryPolicy;
}

/** One message to send: from a number or through a Messaging Service. */
export interface OutboundSms {
  to: string;
  from?: string | null;
  messagingServiceSid?: string | null;
  body: string;
  statusCallback?: string;
  /** Seconds Twilio may keep the message queued before dropping it (1 to 36,000; campaigns: the window left). */
  validityPeriod?: number;
}

/** What Twilio answered to the create call. */
export interface SentSms {
  sid: string;
  status: string;
  numSegments: number | null;
  attempts: number;
}

/** A send Twilio refused or that could not reach Twilio; never carries the number or the body. */
export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: number | null,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "SmsSendError";
  }
}

export interface SmsGateway {
  /** Create the message at Twilio; throws SmsSendError. */
  send(sms: OutboundSms): Promise<SentSms>;
}

/** Twilio's answer or a transport failure, as an SmsSendError. */
function toSendError(err: unknown): SmsSendError {
  const e = err as { status?: unknown; code?: unknown; message?: unknown };
  if (typeof e?.status === "number") {
    const code = typeof e.code === "number" ? e.code : null;
    const retryable = e.status === 429 || e.status >= 500;
    return new SmsSendError(`Twilio answered ${e.status}${code ? ` (error ${code})` : ""}`, e.status, code, retryable);
  }
  // Refused connections never reached Twilio, so a retry cannot send twice; other network
  // failures might have, and are not retried.
  const netCode = typeof e?.code === "string" ? e.code : "network";
  return new SmsSendError(`Could not reach Twilio (${netCode})`, null, null, netCode === "ECONNREFUSED");
}

/** A gateway with explicit credentials (tests, scripts). */
export function createSmsGateway(config: SmsGatewayConfig): SmsGateway {
  const client = createTwilioClient(config, { autoRetry: false }); // our retry covers 5xx too
  return {
    async send(sms) {
      let attempts = 0;
      const message = await withRetry(
        async (attempt) => {
          attempts = attempt;
          try {
            return await client.messages.create({
              to: sms.to,
              body: sms.body,
              ...(sms.messagingServiceSid
                ? { messagingServiceSid: sms.messagingServiceSid }
                : { from: sms.from ?? undefined }),
              ...(sms.statusCallback ? { statusCallback: sms.statusCallback } : {}),
              ...(sms.validityPeriod ? { validityPeriod: sms.validityPeriod } : {}),
            });
          } catch (err) {
            throw toSendError(err);
          }
        },
        (err) => err instanceof SmsSendError && err.retryable,
        config.retry ?? DEFAULT_RETRY_POLICY,
      );
      const segments = Number.parseInt(String(message.numSegments ?? ""), 10);
      return {
        sid: message.sid,
        status: message.status,
        numSegments: Number.isFinite(segments) ? segments : null,
        attempts,
      };
    },
  };
}

let cached: SmsGateway | undefined;

/** The process's gateway, built from TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN / TWILIO_API_BASE_URL. */
export function smsGatewayFromEnv(): SmsGateway {
  if (!cached) {
    const env = serverEnv();
    cached = createSmsGateway({
      accountSid: env.TWILIO_ACCOUNT_SID,
      authToken: env.TWILIO_AUTH_TOKEN,
      apiBaseUrl: env.TWILIO_API_BASE_URL,
    });
  }
  return cached;
}
