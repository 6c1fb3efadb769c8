/**
 * The Messages resource of Twilio's 2010-04-01 REST API: create (POST Messages.json), fetch
 * (GET Messages/{Sid}.json) and list (GET Messages.json, To/From/DateSent filters), behind HTTP basic
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
  const rejection = ctx.store.rejections.get(to);
  if (rejection !== undefined) throw twilioErrors.forced(rejection);
  // ValidityPeriod: whole seconds, 1 to 36,000 (Twilio's error 21624 otherwise).
  let validityPeriod: number | null = null;
  if (f.ValidityPeriod !== undefined && f.ValidityPeriod !== "") {
    validityPeriod = Number(f.ValidityPeriod);
    if (!Number.isInteger(validityPeriod) || validityPeriod < 1 || validityPeriod > 36_000)
      throw twilioErrors.invalidValidityPeriod();
  }
  return {
    to,
    from,
    service,
    body,
    validityPeriod,
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
    validityPeriod: v.validityPeriod,
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

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A DateSent filter as Twilio reads it: `DateSent=YYYY-MM-DD` that UTC day, `DateSent<` on or
 * before, `DateSent>` on or after; the SDK sends ISO date-times (dateSent, dateSentBefore,
 * dateSentAfter), a date alone means its midnight. Like Twilio, the filter is on date_sent, so a
 * message still queued (no date_sent yet) never matches one.
 */
function dateSentFilter(params: URLSearchParams): (m: { dateSent: Date | null }) => boolean {
  const parse = (value: string) => {
    const ms = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(ms)) throw twilioErrors.invalidDateSent(value);
    return ms;
  };
  const tests: ((sent: number) => boolean)[] = [];
  const on = params.get("DateSent");
  if (on !== null) {
    const start = parse(on);
    tests.push(DATE_ONLY.test(on) ? (t) => t >= start && t < start + 86_400_000 : (t) => t === start);
  }
  const before = params.get("DateSent<");
  if (before !== null) {
    const end = parse(before);
    tests.push((t) => t <= (DATE_ONLY.test(before) ? end + 86_400_000 - 1 : end));
  }
  const after = params.get("DateSent>");
  if (after !== null) {
    const start = parse(after);
    tests.push((t) => t >= start);
  }
  if (tests.length === 0) return () => true;
  return (m) => m.dateSent !== null && tests.every((test) => test(m.dateSent!.getTime()));
}

/** GET /2010-04-01/Accounts/{Sid}/Messages.json (one page, newest first, as Twilio lists). */
export function listMessages(ctx: EmulatorContext, url: URL): Reply {
  const to = url.searchParams.get("To") ?? undefined;
  const from = url.searchParams.get("From") ?? undefined;
  const pageSize = Math.min(1000, Number(url.searchParams.get("PageSize") ?? 50) || 50);
  const sentMatches = dateSentFilter(url.searchParams);
  const messages = ctx.store.list({ to, from }).filter(sentMatches).reverse().slice(0, pageSize).map(messageResource);
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
