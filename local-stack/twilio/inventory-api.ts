/**
 * What the account owns, on Twilio's real paths and in Twilio's JSON shapes, so the unmodified
 * SDK reads it: IncomingPhoneNumbers of the 2010-04-01 API (list with the PhoneNumber filter,
 * fetch) and Messaging Services of messaging.twilio.com/v1 (fetch, list, and a service's
 * PhoneNumbers). Read-only: the account's inventory is the fixture in owned-inventory.ts.
 */
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import type { EmulatorContext, Reply } from "./context";
import { twilioDate, type OwnedNumber, type OwnedService } from "./message-store";
import { twilioErrors } from "./twilio-errors";

const NUMBERS = /^\/2010-04-01\/Accounts\/([^/]+)\/IncomingPhoneNumbers\.json$/;
const NUMBER = /^\/2010-04-01\/Accounts\/([^/]+)\/IncomingPhoneNumbers\/([^/]+)\.json$/;
const SERVICES = /^\/v1\/Services$/;
const SERVICE = /^\/v1\/Services\/([^/]+)$/;
const SERVICE_NUMBERS = /^\/v1\/Services\/([^/]+)\/PhoneNumbers$/;
const MESSAGING = "https://messaging.twilio.com";

/** The account sid the path names (2010 API) or null (v1 paths carry none); undefined when not ours. */
export function inventoryPathAccount(pathname: string): string | null | undefined {
  const m = NUMBERS.exec(pathname) ?? NUMBER.exec(pathname);
  if (m) return m[1]!;
  return SERVICES.test(pathname) || SERVICE.test(pathname) || SERVICE_NUMBERS.test(pathname) ? null : undefined;
}

/** A page of `items` as Twilio pages them (PageSize, Page). */
function paginate<T>(items: T[], url: URL): { page: T[]; pageSize: number; pageNo: number; hasNext: boolean } {
  const pageSize = Math.min(1000, Math.max(1, Number(url.searchParams.get("PageSize") ?? 50) || 50));
  const pageNo = Math.max(0, Number(url.searchParams.get("Page") ?? 0) || 0);
  const page = items.slice(pageNo * pageSize, (pageNo + 1) * pageSize);
  return { page, pageSize, pageNo, hasNext: (pageNo + 1) * pageSize < items.length };
}

/** Twilio's PhoneNumber filter: digits of a partial number, `*` for any digit, matched anywhere. */
function matchesPattern(phoneNumber: string, filter: string | null): boolean {
  if (!filter) return true;
  const pattern = filter.replace(/[^0-9*]/g, "");
  if (!pattern) return true;
  return new RegExp(pattern.replace(/\*/g, "\\d")).test(phoneNumber.replace(/\D/g, ""));
}

function numberResource(ctx: EmulatorContext, n: OwnedNumber) {
  const uri = `/2010-04-01/Accounts/${ctx.accountSid}/IncomingPhoneNumbers/${n.sid}.json`;
  const parsed = parsePhoneNumberFromString(n.phoneNumber);
  return {
    account_sid: ctx.accountSid,
    address_requirements: "none",
    address_sid: null,
    api_version: "2010-04-01",
    beta: false,
    capabilities: { fax: false, mms: true, sms: true, voice: true },
    date_created: twilioDate(n.dateCreated),
    date_updated: twilioDate(n.dateCreated),
    emergency_status: "Inactive",
    emergency_address_sid: null,
    emergency_address_status: "unregistered",
    friendly_name: parsed?.formatNational() ?? n.phoneNumber,
    identity_sid: null,
    origin: "twilio",
    phone_number: n.phoneNumber,
    sid: n.sid,
    sms_application_sid: "",
    sms_fallback_method: "POST",
    sms_fallback_url: "",
    sms_method: "POST",
    sms_url: new URL("/api/twilio/inbound", ctx.appBaseUrl).href,
    status_callback: "",
    status_callback_method: "POST",
    trunk_sid: null,
    uri,
    voice_receive_mode: "voice",
    voice_application_sid: null,
    voice_caller_id_lookup: false,
    voice_fallback_method: "POST",
    voice_fallback_url: null,
    voice_method: "POST",
    voice_url: null,
    bundle_sid: null,
    status: "in-use",
    type: "local",
    subresource_uris: { assigned_add_ons: uri.replace(/\.json$/, "/AssignedAddOns.json") },
  };
}

const isoDate = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

function serviceResource(ctx: EmulatorContext, s: OwnedService) {
  const url = `${MESSAGING}/v1/Services/${s.sid}`;
  return {
    account_sid: ctx.accountSid,
    sid: s.sid,
    friendly_name: s.friendlyName,
    date_created: isoDate(s.dateCreated),
    date_updated: isoDate(s.dateCreated),
    inbound_request_url: new URL("/api/twilio/inbound", ctx.appBaseUrl).href,
    inbound_method: "POST",
    fallback_url: null,
    fallback_method: "POST",
    status_callback: null,
    sticky_sender: true,
    mms_converter: true,
    smart_encoding: true,
    scan_message_content: "inherit",
    fallback_to_long_code: true,
    area_code_geomatch: true,
    synchronous_validation: true,
    validity_period: 14400,
    usecase: "marketing",
    us_app_to_person_registered: false,
    use_inbound_webhook_on_number: false,
    url,
    links: {
      phone_numbers: `${url}/PhoneNumbers`,
      short_codes: `${url}/ShortCodes`,
      alpha_senders: `${url}/AlphaSenders`,
      messages: `${url}/Messages`,
      us_app_to_person: `${url}/Compliance/Usa2p`,
      us_app_to_person_usecases: `${url}/Compliance/Usa2p/Usecases`,
      channel_senders: `${url}/ChannelSenders`,
    },
  };
}

function serviceNumberResource(ctx: EmulatorContext, s: OwnedService, n: OwnedNumber) {
  return {
    sid: n.sid,
    account_sid: ctx.accountSid,
    service_sid: s.sid,
    date_created: isoDate(s.dateCreated),
    date_updated: isoDate(s.dateCreated),
    phone_number: n.phoneNumber,
    country_code: parsePhoneNumberFromString(n.phoneNumber)?.country ?? "US",
    capabilities: ["SMS", "MMS", "Voice"],
    url: `${MESSAGING}/v1/Services/${s.sid}/PhoneNumbers/${n.sid}`,
  };
}

/** A v1 list answer: items under `key`, paging links in `meta` (absolute URLs, as Twilio sends). */
function v1Page<T>(key: string, items: T[], url: URL) {
  const { page, pageSize, pageNo, hasNext } = paginate(items, url);
  const at = (p: number) => `${MESSAGING}${url.pathname}?PageSize=${pageSize}&Page=${p}`;
  return {
    [key]: page,
    meta: {
      page: pageNo,
      page_size: pageSize,
      first_page_url: at(0),
      previous_page_url: pageNo > 0 ? at(pageNo - 1) : null,
      url: at(pageNo),
      next_page_url: hasNext ? at(pageNo + 1) : null,
      key,
    },
  };
}

function service(ctx: EmulatorContext, sid: string, path: string): OwnedService {
  const s = ctx.store.services.get(sid);
  if (!s) throw twilioErrors.notFound(path.replace(/^\/v1/, ""));
  return s;
}

/** Answer a GET on one of the inventory paths (authentication already checked). */
export function inventoryApi(ctx: EmulatorContext, method: string, url: URL): Reply {
  if (method !== "GET") throw twilioErrors.methodNotAllowed();
  const path = url.pathname;
  if (NUMBERS.test(path)) {
    const filter = url.searchParams.get("PhoneNumber");
    const friendly = url.searchParams.get("FriendlyName");
    const all = [...ctx.store.phoneNumbers.values()]
      .filter((n) => matchesPattern(n.phoneNumber, filter))
      .map((n) => numberResource(ctx, n))
      .filter((r) => !friendly || r.friendly_name === friendly);
    const { page, pageSize, pageNo, hasNext } = paginate(all, url);
    const at = (p: number) =>
      `${path}?PageSize=${pageSize}&Page=${p}${filter ? `&PhoneNumber=${encodeURIComponent(filter)}` : ""}`;
    return {
      status: 200,
      body: {
        incoming_phone_numbers: page,
        end: pageNo * pageSize + Math.max(0, page.length - 1),
        first_page_uri: at(0),
        next_page_uri: hasNext ? at(pageNo + 1) : null,
        page: pageNo,
        page_size: pageSize,
        previous_page_uri: pageNo > 0 ? at(pageNo - 1) : null,
        start: pageNo * pageSize,
        uri: at(pageNo),
      },
    };
  }
  const one = NUMBER.exec(path);
  if (one) {
    const n = [...ctx.store.phoneNumbers.values()].find((x) => x.sid === one[2]);
    if (!n) throw twilioErrors.notFound(path);
    return { status: 200, body: numberResource(ctx, n) };
  }
  if (SERVICES.test(path))
    return {
      status: 200,
      body: v1Page(
        "services",
        [...ctx.store.services.values()].map((s) => serviceResource(ctx, s)),
        url,
      ),
    };
  const sv = SERVICE.exec(path);
  if (sv) return { status: 200, body: serviceResource(ctx, service(ctx, sv[1]!, path)) };
  const pool = SERVICE_NUMBERS.exec(path)!;
  const s = service(ctx, pool[1]!, path);
  const numbers = s.phoneNumbers.map((p) => ctx.store.phoneNumbers.get(p)).filter((n): n is OwnedNumber => Boolean(n));
  return {
    status: 200,
    body: v1Page(
      "phone_numbers",
      numbers.map((n) => serviceNumberResource(ctx, s, n)),
      url,
    ),
  };
}
