import "server-only";
/**
 * What the platform's Twilio account owns, asked of Twilio itself through the SDK: its incoming
 * phone numbers, and its Messaging Services with the numbers in each pool. A dealership may only
 * register what this confirms (lib/sms/sending-number-ownership.ts).
 */
import { serverEnv } from "@/lib/env/server-env";
import { AppError } from "@/lib/server/app-error";
import { createTwilioClient, type TwilioCredentials } from "./twilio-client";

/** Read-only questions about the platform's Twilio account. */
export interface TwilioAccountInventory {
  /** True when the account has this exact number (E.164). */
  ownsPhoneNumber(e164: string): Promise<boolean>;
  /** The numbers in the service's pool, or null when the account has no such service. */
  messagingServicePool(sid: string): Promise<string[] | null>;
}

const unreachable = () => new AppError("internal", "Could not check this with Twilio. Please try again in a minute.");

/** An inventory reader with explicit credentials (tests, scripts). */
export function createTwilioAccountInventory(credentials: TwilioCredentials): TwilioAccountInventory {
  const client = createTwilioClient(credentials, { autoRetry: true });
  return {
    async ownsPhoneNumber(e164) {
      // PhoneNumber is a pattern filter at Twilio (partial numbers match too), so compare exactly.
      const found = await client.incomingPhoneNumbers.list({ phoneNumber: e164, pageSize: 50, limit: 50 }).catch(() => {
        throw unreachable();
      });
      return found.some((n) => n.phoneNumber === e164);
    },
    async messagingServicePool(sid) {
      const service = client.messaging.v1.services(sid);
      try {
        await service.fetch();
      } catch (err) {
        if ((err as { status?: number }).status === 404) return null;
        throw unreachable();
      }
      const numbers = await service.phoneNumbers.list().catch(() => {
        throw unreachable();
      });
      return numbers.map((n) => n.phoneNumber);
    },
  };
}

let cached: TwilioAccountInventory | undefined;

/** The process's inventory reader, from TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN / TWILIO_API_BASE_URL. */
export function twilioAccountInventoryFromEnv(): TwilioAccountInventory {
  if (!cached) {
    const env = serverEnv();
    cached = createTwilioAccountInventory({
      accountSid: env.TWILIO_ACCOUNT_SID,
      authToken: env.TWILIO_AUTH_TOKEN,
      apiBaseUrl: env.TWILIO_API_BASE_URL,
    });
  }
  return cached;
}
