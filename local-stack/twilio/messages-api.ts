/**
 * The Messages resource of Twilio's 2010-04-01 REST API: create (POST Messages.json), fetch
 * (GET Messages/{Sid}.json) and list (GET Messages.json, To/From filters), behind HTTP basic
 * auth with the account SID and auth token, with Twilio's validation errors and magic numbers.
 */
import type { IncomingMessage } from "node:http";
import { timingSafeEqual } from "node:crypto";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { countSmsSegments } from "../../lib/sms/segments";
import type { EmulatorContext, Reply } from "./context";
import { messageResource, newMessageSid, type EmulatedMessage } from "./message-store";
import { twilioErrors } from "./twilio-errors";

const E164 = /^\+[1-9]\d{6,14}$/;
const SERVICE_SID = /^MG[0-9a-f]{32}$/;
// Twilio's test-credential magic numbers, kept so tests can ask for an error by number.
const MAGIC_TO: Record<string, () => Error> = {
  "+15005550001": () => twilioErrors.invalidTo("+15005550001"),
  "+15005550004": twilioErrors.unsubscribed,
  "+15005550009": twilioErrors.notMobile,
};

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Throw 20003 unless the request carries the account's basic-auth credentials. */
export function checkBasicAuth(ctx: EmulatorContext, req: IncomingMessage, pathSid: string): void {
  const header = req.headers.authorization ?? "";
  const decoded = header.startsWith("Basic ") ? Buffer.from(header.slice(6), "base64").toString("utf8") : "";
  const colon = decoded.indexOf(":");
  const [user, pass] = colon < 0 ? ["", ""] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
  if (!sameSecret(user, ctx.accountSid) || !sameSecret(pass, ctx.authToken) || pathSid !== ctx.accountSid) {
    throw twilioErrors.authenticate();
  }
}

function validateCreate(ctx: EmulatorContext, f: Record<string, unknown>) {
  const to = typeof f.To === "string" ? f.To.trim() : "";
  const from = typeof f.From === "string" && f.From !== "" ? f.From.trim() : null;
  const service =
    typeof f.MessagingServiceSid === "string" && f.MessagingServiceSid !== "" ? f.MessagingServiceSid : null;
  const body = typeof f.Body === "string" ? f.Body : "";
  if (!to) throw twilioErrors.toRequired();
  if (MAGIC_TO[to]) throw MAGIC_TO[to]!();
  if (!E164.test(to) || !parsePhoneNumberFromString(to)?.isValid()) throw twilioErrors.invalidTo(to);
  if (!from && !service) throw twilioErrors.fromRequired();
  if (service && !SERVICE_SID.test(service)) throw twilioErrors.invalidService(service);
  if (from && !E164.test(from)) throw twilioErrors.invalidFrom(from);
  if (!body) throw twilioErrors.bodyRequired();
  if (body.length > 1600) throw twilioErrors.bodyTooLong();
  if (ctx.store.isOptedOut(service, to) || ctx.store.isOptedOut(from, to)) throw twilioErrors.unsubscribed();
  return {
    to,
    from,
    service,
    body,
    statusCallback: typeof f.StatusCallback === "string" && f.StatusCallback ? f.StatusCallback : null,
  };
}

/** POST /2010-04-01/Accounts/{Sid}/Messages.json */
export function createMessage(ctx: EmulatorContext, fields: Record<string, unknown>): Reply {
  const v = validateCreate(ctx, fields);
  const now = new Date();
  // A Messaging Service picks the sender from its pool; until then From is null and status accepted.
  const message: EmulatedMessage = ctx.store.add({
    sid: newMessageSid(),
    accountSid: ctx.accountSid,
    direction: "outbound-api",
    from: v.service ? (ctx.store.services.get(v.service)?.phoneNumbers[0] ?? "+15005550006") : v.from,
    to: v.to,
    body: v.body,
    messagingServiceSid: v.service,
    status: v.service ? "accepted" : "queued",
    errorCode: null,
    numSegments: countSmsSegments(v.body).segments,
    statusCallback: v.statusCallback,
    dateCreated: now,
    dateUpdated: now,
    dateSent: null,
  });
  const reply = { status: 201, body: { ...messageResource(message), ...(v.service ? { from: null } : {}) } };
  ctx.callbacks.track(message);
  return reply;
}

/** GET /2010-04-01/Accounts/{Sid}/Messages/{MessageSid}.json */
export function fetchMessage(ctx: EmulatorContext, sid: string, path: string): Reply {
  const message = ctx.store.messages.get(sid);
  if (!message) throw twilioErrors.notFound(path);
  return { status: 200, body: messageResource(message) };
}

/** GET /2010-04-01/Accounts/{Sid}/Messages.json (one page, newest first, as Twilio lists). */
export function listMessages(ctx: EmulatorContext, url: URL): Reply {
  const to = url.searchParams.get("To") ?? undefined;
  const from = url.searchParams.get("From") ?? undefined;
  const pageSize = Math.min(1000, Number(url.searchParams.get("PageSize") ?? 50) || 50);
  const messages = ctx.store.list({ to, from }).reverse().slice(0, pageSize).map(messageResource);
  const uri = `${url.pathname}?PageSize=${pageSize}&Page=0`;
  return {
    status: 200,
    body: {
      messages,
      end: messages.length - 1,
      first_page_uri: uri,
      next_page_uri: null,
      page: 0,
      page_size: pageSize,
      previous_page_uri: null,
      start: 0,
      uri,
    },
  };
}
