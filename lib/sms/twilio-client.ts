import "server-only";
/**
 * The twilio SDK client the app uses for every REST call (sending, and reading what the account
 * owns). Locally and in tests it is pointed at the emulator through BaseUrlRequestClient;
 * nothing else differs.
 */
import twilio from "twilio";
import { BaseUrlRequestClient } from "./base-url-request-client";

/** Credentials and where the API lives. */
export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
  /** Only for the local emulator; production uses the SDK's own *.twilio.com hosts. */
  apiBaseUrl?: string;
}

/** A twilio client; `autoRetry` lets the SDK retry Twilio's 429s on its own. */
export function createTwilioClient(credentials: TwilioCredentials, opts: { autoRetry?: boolean } = {}): twilio.Twilio {
  return twilio(credentials.accountSid, credentials.authToken, {
    autoRetry: opts.autoRetry ?? false,
    ...(credentials.apiBaseUrl ? { httpClient: new BaseUrlRequestClient(credentials.apiBaseUrl) } : {}),
  });
}
