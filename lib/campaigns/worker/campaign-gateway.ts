import "server-only";
/**
 * What the send worker needs from Twilio: create a message (no retries inside: the queue
 * reschedules a failed row with backoff and jitter) and, after a crash, find out whether Twilio
 * already has a message the worker wrote but never heard back about. Both through the real twilio
 * SDK (pointed at the emulator locally).
 */
import { serverEnv } from "@/lib/env/server-env";
import { createSmsGateway, type OutboundSms, type SentSms } from "@/lib/sms/sms-gateway";
import { createTwilioClient, type TwilioCredentials } from "@/lib/sms/twilio-client";

/** A message as Twilio lists it (only what reconciliation compares). */
export interface TwilioMessageSummary {
  sid: string;
  status: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  dateCreated: Date | null;
}

export interface CampaignGateway {
  /** Create the message at Twilio (one attempt); throws SmsSendError. */
  send(sms: OutboundSms): Promise<SentSms>;
  /**
   * Twilio's outbound messages to `to` (from `from` when it is a number) sent since `since`, and
   * the newest ones still waiting in Twilio's queue, newest first.
   */
  recentMessages(query: { to: string; from: string | null; since: Date }): Promise<TwilioMessageSummary[]>;
}

/** A gateway with explicit credentials (tests, the benchmark). */
export function createCampaignGateway(credentials: TwilioCredentials): CampaignGateway {
  const sms = createSmsGateway({ ...credentials, retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
  const client = createTwilioClient(credentials);
  return {
    send: (message) => sms.send(message),
    async recentMessages({ to, from, since }) {
      const filter = { to, ...(from ? { from } : {}) };
      // DateSent is Twilio's own filter, but it is on date_sent, which a message still queued at
      // Twilio does not have yet: the newest page without a date filter covers those.
      const [sentSince, newest] = await Promise.all([
        client.messages.list({ ...filter, dateSentAfter: since, limit: 50 }),
        client.messages.list({ ...filter, limit: 20 }),
      ]);
      const bySid = new Map<string, TwilioMessageSummary>();
      for (const m of [...sentSince, ...newest]) {
        if (m.direction === "inbound") continue;
        bySid.set(m.sid, {
          sid: m.sid,
          status: m.status,
          to: m.to,
          from: m.from ?? null,
          messagingServiceSid: m.messagingServiceSid ?? null,
          body: m.body,
          dateCreated: m.dateCreated ?? null,
        });
      }
      return [...bySid.values()].sort((a, b) => (b.dateCreated?.getTime() ?? 0) - (a.dateCreated?.getTime() ?? 0));
    },
  };
}

let cached: CampaignGateway | undefined;

/** The process's gateway, from TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN / TWILIO_API_BASE_URL. */
export function campaignGatewayFromEnv(): CampaignGateway {
  if (!cached) {
    const env = serverEnv();
    cached = createCampaignGateway({
      accountSid: env.TWILIO_ACCOUNT_SID,
      authToken: env.TWILIO_AUTH_TOKEN,
      apiBaseUrl: env.TWILIO_API_BASE_URL,
    });
  }
  return cached;
}
