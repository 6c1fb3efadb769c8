/**
 * Inbound-SMS webhook requests for the benchmark, as Twilio sends them: the same form fields
 * the emulator posts, a distinct MessageSid each, signed with twilio's own helper for the public
 * URL (APP_BASE_URL + /api/twilio/inbound). Built before the clock starts.
 */
import { randomBytes } from "node:crypto";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import type { PreparedRequest } from "./http-load";

export interface InboundPlan {
  appBaseUrl: string;
  accountSid: string;
  authToken: string;
  /** Our numbers (To), used in turn. */
  to: string[];
  /** Senders (From), used in turn. */
  from: string[];
  count: number;
  /** Every n-th request re-sends an earlier message (a Twilio retry): same sid, same signature. */
  retryEvery: number;
}

/** The requests, and the MessageSid each one carries. */
export function signedInboundRequests(plan: InboundPlan): { requests: PreparedRequest[]; sids: string[] } {
  const url = `${new URL(plan.appBaseUrl).origin}/api/twilio/inbound`;
  const requests: PreparedRequest[] = [];
  const sids: string[] = [];
  for (let i = 0; i < plan.count; i++) {
    if (plan.retryEvery > 0 && i > 0 && i % plan.retryEvery === 0) {
      const j = i - 1 - (i % 37); // an earlier message, usually still in flight nearby
      requests.push(requests[j]!);
      sids.push(sids[j]!);
      continue;
    }
    const sid = `SM${randomBytes(16).toString("hex")}`;
    const params: Record<string, string> = {
      ToCountry: "US",
      ToState: "IL",
      ToCity: "",
      ToZip: "",
      FromCountry: "US",
      FromState: "IL",
      FromCity: "",
      FromZip: "",
      SmsMessageSid: sid,
      SmsSid: sid,
      MessageSid: sid,
      SmsStatus: "received",
      AccountSid: plan.accountSid,
      From: plan.from[i % plan.from.length]!,
      To: plan.to[i % plan.to.length]!,
      Body: `Benchmark reply ${i}: is the truck still available? I could come by on Saturday.`,
      NumMedia: "0",
      NumSegments: "1",
      ApiVersion: "2010-04-01",
    };
    const body = new URLSearchParams(params).toString();
    requests.push({
      method: "POST",
      path: "/api/twilio/inbound",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "content-length": String(Buffer.byteLength(body)),
        "x-twilio-signature": getExpectedTwilioSignature(plan.authToken, url, params),
        "user-agent": "TwilioProxy/1.1",
      },
      body,
    });
    sids.push(sid);
  }
  return { requests, sids };
}
