/**
 * A reply from a phone: the emulator stores it, applies Twilio's own STOP/START handling (a
 * recipient who texts STOP to a sender cannot be messaged by it until START), posts the signed
 * inbound webhook to the app, and sends whatever <Message> the app's TwiML answer contains.
 */
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { classifyConsentKeyword } from "../../lib/sms/consent-keywords";
import { countSmsSegments } from "../../lib/sms/segments";
import type { EmulatorContext } from "./context";
import { newMessageSid, type EmulatedMessage } from "./message-store";
import { postSignedForm } from "./signed-webhook";

/** What the phone sends. `messageSid` of an earlier message re-posts it (a Twilio retry). */
export interface InboundInput {
  from: string;
  to: string;
  body: string;
  messagingServiceSid?: string;
  messageSid?: string;
}

/** What happened: the sid, the app's HTTP status and the replies its TwiML sent back. */
export interface InboundResult {
  messageSid: string;
  appStatus: number;
  replies: { sid: string; body: string }[];
}

const XML_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** The bodies of the <Message> verbs in a TwiML answer (plain text or a nested <Body>). */
export function twimlMessages(xml: string): string[] {
  const out: string[] = [];
  for (const [, inner] of xml.matchAll(/<Message(?:\s[^>]*)?>([\s\S]*?)<\/Message>/g)) {
    const body = /<Body(?:\s[^>]*)?>([\s\S]*?)<\/Body>/.exec(inner ?? "")?.[1] ?? inner ?? "";
    out.push(
      body.replace(/&(amp|lt|gt|quot|apos|#(\d+));/g, (_, name: string, code?: string) =>
        code ? String.fromCodePoint(Number(code)) : XML_ENTITIES[name]!,
      ),
    );
  }
  return out;
}

function inboundParams(ctx: EmulatorContext, m: EmulatedMessage, optOutType: string | null): Record<string, string> {
  const country = (n: string | null) => (n ? (parsePhoneNumberFromString(n)?.country ?? "") : "");
  const params: Record<string, string> = {
    ToCountry: country(m.to),
    ToState: "",
    ToCity: "",
    ToZip: "",
    FromCountry: country(m.from),
    FromState: "",
    FromCity: "",
    FromZip: "",
    SmsMessageSid: m.sid,
    SmsSid: m.sid,
    MessageSid: m.sid,
    SmsStatus: "received",
    AccountSid: ctx.accountSid,
    From: m.from ?? "",
    To: m.to,
    Body: m.body,
    NumMedia: "0",
    NumSegments: String(m.numSegments),
    ApiVersion: "2010-04-01",
  };
  if (m.messagingServiceSid) params.MessagingServiceSid = m.messagingServiceSid;
  if (optOutType) params.OptOutType = optOutType;
  return params;
}

function storeInbound(ctx: EmulatorContext, input: InboundInput): EmulatedMessage {
  const previous = input.messageSid ? ctx.store.messages.get(input.messageSid) : undefined;
  if (previous) return previous;
  const now = new Date();
  return ctx.store.add({
    sid: input.messageSid ?? newMessageSid(),
    accountSid: ctx.accountSid,
    direction: "inbound",
    from: input.from,
    to: input.to,
    body: input.body,
    messagingServiceSid: input.messagingServiceSid ?? null,
    status: "received",
    errorCode: null,
    numSegments: countSmsSegments(input.body).segments,
    statusCallback: null,
    dateCreated: now,
    dateUpdated: now,
    dateSent: now,
  });
}

function storeReply(ctx: EmulatorContext, inbound: EmulatedMessage, body: string): EmulatedMessage {
  const now = new Date();
  return ctx.store.add({
    sid: newMessageSid(),
    accountSid: ctx.accountSid,
    direction: "outbound-reply",
    from: inbound.to,
    to: inbound.from ?? "",
    body,
    messagingServiceSid: inbound.messagingServiceSid,
    status: "delivered",
    errorCode: null,
    numSegments: countSmsSegments(body).segments,
    statusCallback: null,
    dateCreated: now,
    dateUpdated: now,
    dateSent: now,
  });
}

/** Receive an SMS from a phone and deliver it to the app's inbound webhook. */
export async function receiveInbound(
  ctx: EmulatorContext,
  input: InboundInput,
  inboundUrl: string,
): Promise<InboundResult> {
  const message = storeInbound(ctx, input);
  // Twilio itself reacts to keywords only; a request in plain words is the app's to honour.
  const classified = classifyConsentKeyword(message.body);
  const consent = classified.decidedBy === "keyword" ? classified : { ...classified, action: "none" as const };
  if (consent.action === "opt_out" || consent.action === "opt_in") {
    ctx.store.setOptOut([message.to, message.messagingServiceSid], message.from ?? "", consent.action === "opt_out");
  }
  // Advanced Opt-Out (Messaging Services) tells the app what it recognised.
  const optOutType =
    message.messagingServiceSid && consent.action !== "none"
      ? { opt_out: "STOP", opt_in: "START", help: "HELP" }[consent.action]
      : null;
  const res = await postSignedForm(ctx.dispatch, ctx.authToken, inboundUrl, inboundParams(ctx, message, optOutType));
  const text = await res.text();
  const replies =
    res.ok && /xml/.test(res.headers.get("content-type") ?? "")
      ? twimlMessages(text).map((body) => storeReply(ctx, message, body))
      : [];
  return {
    messageSid: message.sid,
    appStatus: res.status,
    replies: replies.map((r) => ({ sid: r.sid, body: r.body })),
  };
}
