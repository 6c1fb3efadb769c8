/**
 * The emulator as the unmodified twilio SDK sees it: created messages, Twilio's error answers,
 * injected 429/500 with the gateway's retry, signed status callbacks, and signed inbound webhooks.
 * Runs its own instance on a free port so fault injection never leaks into other test files.
 */
import twilio from "twilio";
import { validateRequest } from "twilio/lib/webhooks/webhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BaseUrlRequestClient } from "@/lib/sms/base-url-request-client";
import { createSmsGateway, SmsSendError, type SmsGateway } from "@/lib/sms/sms-gateway";
import { DEMO_DEALERSHIPS } from "../seed/demo";
import {
  emulatorConversation,
  emulatorForceOutcome,
  emulatorInjectFault,
  emulatorRejectRecipient,
  emulatorSendInbound,
} from "./emulator-client";
import { newMessageSid } from "./message-store";
import { DEMO_OWNED_SERVICES, testOwnedNumbers, testOwnedServices } from "./owned-inventory";
import { startTwilioEmulator, type RunningTwilioEmulator } from "./server";

const SID = `AC${"1".repeat(32)}`;
const TOKEN = "emulator_test_token_0123456789";
const APP = "https://app.test";
const FROM = "+15005550006";
const SERVICE = `MG${"a".repeat(32)}`;

interface Hook {
  url: string;
  signature: string | null;
  params: Record<string, string>;
}

let emu: RunningTwilioEmulator;
let gateway: SmsGateway;
let hooks: Hook[] = [];
let twimlAnswer = "<Response/>";

async function until<T>(fn: () => T | undefined, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
}

const isSignedCorrectly = (h: Hook) => validateRequest(TOKEN, h.signature ?? "", h.url, h.params);

beforeAll(async () => {
  emu = await startTwilioEmulator({
    port: 0,
    accountSid: SID,
    authToken: TOKEN,
    appBaseUrl: APP,
    callbackDelayMs: 5,
    log: () => {},
    dispatch: async (url, init) => {
      const headers = new Headers(init.headers);
      hooks.push({
        url,
        signature: headers.get("x-twilio-signature"),
        params: Object.fromEntries(new URLSearchParams(String(init.body))),
      });
      return new Response(url.endsWith("/inbound") ? twimlAnswer : null, {
        status: 200,
        headers: { "content-type": "text/xml" },
      });
    },
  });
  gateway = createSmsGateway({
    accountSid: SID,
    authToken: TOKEN,
    apiBaseUrl: emu.url,
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
  });
});

afterAll(async () => {
  await emu?.stop();
});

beforeEach(() => {
  emu.store.reset();
  hooks = [];
  twimlAnswer = "<Response/>";
});

const sendError = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => (e instanceof SmsSendError ? { status: e.status, code: e.code, retryable: e.retryable } : e),
  );

describe("Messages API through the real SDK", () => {
  it("creates a message from a number (queued) and fetches and lists it", async () => {
    const sent = await gateway.send({ to: "+13125550111", from: FROM, body: "Hello from the emulator" });
    expect(sent).toMatchObject({ status: "queued", numSegments: 1, attempts: 1 });
    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
    const client = twilio(SID, TOKEN, { httpClient: new BaseUrlRequestClient(emu.url) });
    const fetched = await client.messages(sent.sid).fetch();
    expect(fetched).toMatchObject({
      sid: sent.sid,
      to: "+13125550111",
      from: FROM,
      body: "Hello from the emulator",
      direction: "outbound-api",
    });
    const listed = await client.messages.list({ to: "+13125550111" });
    expect(listed.map((m) => m.sid)).toEqual([sent.sid]);
  });

  it("a Messaging Service send is accepted, then queued", async () => {
    const sent = await gateway.send({
      to: "+13125550111",
      messagingServiceSid: SERVICE,
      body: "Hi",
      statusCallback: `${APP}/api/twilio/status`,
    });
    expect(sent.status).toBe("accepted");
    const statuses = await until(() => (hooks.length >= 3 ? hooks.map((h) => h.params.MessageStatus) : undefined));
    expect(statuses).toEqual(["queued", "sent", "delivered"]);
    expect(hooks[0]!.params.MessagingServiceSid).toBe(SERVICE);
  });

  it("answers Twilio's errors in Twilio's shape", async () => {
    const wrongToken = createSmsGateway({ accountSid: SID, authToken: "wrong_token_0123456789", apiBaseUrl: emu.url });
    expect(await sendError(wrongToken.send({ to: "+13125550111", from: FROM, body: "x" }))).toEqual({
      status: 401,
      code: 20003,
      retryable: false,
    });
    expect(await sendError(gateway.send({ to: "+1555", from: FROM, body: "x" }))).toMatchObject({
      status: 400,
      code: 21211,
    });
    expect(await sendError(gateway.send({ to: "+15005550001", from: FROM, body: "x" }))).toMatchObject({ code: 21211 });
    expect(await sendError(gateway.send({ to: "+15005550004", from: FROM, body: "x" }))).toMatchObject({ code: 21610 });
    expect(await sendError(gateway.send({ to: "+13125550111", body: "x" }))).toMatchObject({ code: 21603 });
    expect(await sendError(gateway.send({ to: "+13125550111", from: FROM, body: "" }))).toMatchObject({ code: 21602 });
    expect(emu.store.messages.size).toBe(0);
  });

  it("a 429 is retried with backoff and then succeeds", async () => {
    await emulatorInjectFault(emu.url, "429", 1);
    const sent = await gateway.send({ to: "+13125550111", from: FROM, body: "retry me" });
    expect(sent.attempts).toBe(2);
    expect(emu.store.messages.size).toBe(1);
  });

  it("retries are bounded: persistent 500s end in a retryable SmsSendError", async () => {
    await emulatorInjectFault(emu.url, "500", 10);
    expect(await sendError(gateway.send({ to: "+13125550111", from: FROM, body: "x" }))).toEqual({
      status: 500,
      code: 20500,
      retryable: true,
    });
    expect(emu.store.fault.remaining).toBe(7); // three attempts, then it gave up
    expect(emu.store.messages.size).toBe(0);
  });
});

describe("what the campaign worker relies on", () => {
  it("lists by DateSent as Twilio does: on date_sent, so a message not yet sent matches no DateSent filter", async () => {
    const client = twilio(SID, TOKEN, { httpClient: new BaseUrlRequestClient(emu.url) });
    const before = new Date(Date.now() - 1000);
    const sent = await gateway.send({ to: "+13125550177", from: FROM, body: "One" });
    await until(() => (emu.store.messages.get(sent.sid)!.status === "delivered" ? true : undefined));
    // A second one still waiting in Twilio's queue: no date_sent yet.
    const queued = emu.store.add({
      ...emu.store.messages.get(sent.sid)!,
      sid: newMessageSid(),
      status: "queued",
      dateSent: null,
    });
    const sids = async (q: Parameters<typeof client.messages.list>[0]) =>
      (await client.messages.list(q)).map((m) => m.sid);
    expect(await sids({ to: "+13125550177", from: FROM, dateSentAfter: before })).toEqual([sent.sid]);
    expect(await sids({ to: "+13125550177", from: FROM, limit: 20 })).toEqual([queued.sid, sent.sid]); // newest first
    expect(await sids({ to: "+13125550177", dateSentAfter: new Date(Date.now() + 60_000) })).toEqual([]);
    expect(await sids({ to: "+13125550177", dateSentBefore: before })).toEqual([]);
    expect(await sids({ to: "+13125550177", dateSentBefore: new Date(Date.now() + 60_000) })).toEqual([sent.sid]);
    expect(await sids({ to: "+13125550177", from: "+15005550007" })).toEqual([]);
  });

  it("keeps the ValidityPeriod and refuses one outside 1..36,000 with 21624", async () => {
    const sent = await gateway.send({ to: "+13125550178", from: FROM, body: "Hi", validityPeriod: 600 });
    expect(emu.store.messages.get(sent.sid)!.validityPeriod).toBe(600);
    expect(
      await sendError(gateway.send({ to: "+13125550178", from: FROM, body: "Hi", validityPeriod: 36_001 })),
    ).toMatchObject({
      status: 400,
      code: 21624,
    });
  });

  it("refuses the create call for a recipient with a chosen error, until lifted", async () => {
    await emulatorRejectRecipient(emu.url, "+13125550179", 30006);
    expect(await sendError(gateway.send({ to: "+13125550179", from: FROM, body: "Hi" }))).toMatchObject({
      status: 400,
      code: 30006,
      retryable: false,
    });
    await emulatorRejectRecipient(emu.url, "+13125550179", null);
    expect((await gateway.send({ to: "+13125550179", from: FROM, body: "Hi" })).status).toBe("queued");
  });
});

describe("status callbacks", () => {
  it("are posted signed with the auth token, sent then delivered", async () => {
    const callback = `${APP}/api/twilio/status?m=7d0f3c8e-1111-4222-8333-944445555666`;
    const sent = await gateway.send({ to: "+13125550111", from: FROM, body: "track me", statusCallback: callback });
    await until(() => hooks.length >= 2);
    expect(hooks.map((h) => [h.url, h.params.MessageSid, h.params.MessageStatus])).toEqual([
      [callback, sent.sid, "sent"],
      [callback, sent.sid, "delivered"],
    ]);
    expect(hooks.every(isSignedCorrectly)).toBe(true);
    expect(hooks[0]!.params).toMatchObject({
      AccountSid: SID,
      To: "+13125550111",
      From: FROM,
      SmsStatus: "sent",
      ApiVersion: "2010-04-01",
    });
  });

  it("report undelivered with the forced error code", async () => {
    await emulatorForceOutcome(emu.url, "+13125550199", "undelivered", 30007);
    await gateway.send({ to: "+13125550199", from: FROM, body: "x", statusCallback: `${APP}/api/twilio/status` });
    await until(() => hooks.length >= 2);
    expect(hooks[1]!.params).toMatchObject({ MessageStatus: "undelivered", ErrorCode: "30007" });
  });
});

describe("inbound messages", () => {
  it("are posted to the app's inbound URL, signed, with Twilio's fields", async () => {
    const result = await emulatorSendInbound(emu.url, {
      from: "+13125550111",
      to: FROM,
      body: "Is the truck available?",
    });
    expect(result.appStatus).toBe(200);
    expect(hooks).toHaveLength(1);
    const hook = hooks[0]!;
    expect(hook.url).toBe(`${APP}/api/twilio/inbound`);
    expect(isSignedCorrectly(hook)).toBe(true);
    expect(hook.params).toMatchObject({
      MessageSid: result.messageSid,
      SmsSid: result.messageSid,
      AccountSid: SID,
      From: "+13125550111",
      To: FROM,
      Body: "Is the truck available?",
      NumMedia: "0",
      NumSegments: "1",
      SmsStatus: "received",
      FromCountry: "US",
    });
    expect(hook.params.OptOutType).toBeUndefined();
  });

  it("a STOP blocks further sends from that number (21610) until START", async () => {
    await emulatorSendInbound(emu.url, { from: "+13125550111", to: FROM, body: "stop" });
    expect(await sendError(gateway.send({ to: "+13125550111", from: FROM, body: "x" }))).toMatchObject({ code: 21610 });
    await emulatorSendInbound(emu.url, { from: "+13125550111", to: FROM, body: "START" });
    await expect(gateway.send({ to: "+13125550111", from: FROM, body: "welcome back" })).resolves.toMatchObject({
      status: "queued",
    });
  });

  it("through a Messaging Service carries MessagingServiceSid and OptOutType", async () => {
    await emulatorSendInbound(emu.url, { from: "+13125550111", to: FROM, body: "HELP", messagingServiceSid: SERVICE });
    expect(hooks[0]!.params).toMatchObject({ MessagingServiceSid: SERVICE, OptOutType: "HELP" });
  });

  it("re-posting a MessageSid sends the same message again (a Twilio retry)", async () => {
    const first = await emulatorSendInbound(emu.url, { from: "+13125550111", to: FROM, body: "once" });
    await emulatorSendInbound(emu.url, {
      from: "+13125550111",
      to: FROM,
      body: "ignored",
      messageSid: first.messageSid,
    });
    expect(hooks.map((h) => [h.params.MessageSid, h.params.Body])).toEqual([
      [first.messageSid, "once"],
      [first.messageSid, "once"],
    ]);
  });

  it("a TwiML <Message> answer is sent back to the phone", async () => {
    twimlAnswer =
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Northside &amp; Co: reply STOP to opt out</Message></Response>';
    const result = await emulatorSendInbound(emu.url, { from: "+13125550111", to: FROM, body: "HELP" });
    expect(result.replies.map((r) => r.body)).toEqual(["Northside & Co: reply STOP to opt out"]);
    const conversation = await emulatorConversation(emu.url, "+13125550111");
    expect(conversation.map((m) => [m.direction, m.from, m.to, m.body])).toEqual([
      ["inbound", "+13125550111", FROM, "HELP"],
      ["outbound-reply", FROM, "+13125550111", "Northside & Co: reply STOP to opt out"],
    ]);
  });
});

describe("the account's numbers and Messaging Services through the real SDK", () => {
  const client = () => twilio(SID, TOKEN, { httpClient: new BaseUrlRequestClient(emu.url) });

  it("IncomingPhoneNumbers: the PhoneNumber filter finds an owned number (and, like Twilio, partial matches)", async () => {
    const owned = testOwnedNumbers(9)[0]!;
    const exact = await client().incomingPhoneNumbers.list({ phoneNumber: owned });
    expect(exact.map((n) => [n.phoneNumber, n.accountSid, n.capabilities.sms])).toEqual([[owned, SID, true]]);
    expect(exact[0]!.sid).toMatch(/^PN[0-9a-f]{32}$/);
    expect(await client().incomingPhoneNumbers.list({ phoneNumber: "+19995550000" })).toEqual([]);
    const partial = await client().incomingPhoneNumbers.list({ phoneNumber: owned.slice(-6) });
    expect(partial.map((n) => n.phoneNumber)).toContain(owned);
    const fetched = await client().incomingPhoneNumbers(exact[0]!.sid).fetch();
    expect(fetched.phoneNumber).toBe(owned);
  });

  it("lists every owned number across pages", async () => {
    const all = await client().incomingPhoneNumbers.list({ pageSize: 20 });
    expect(all.length).toBe(emu.store.phoneNumbers.size);
    expect(all.length).toBeGreaterThan(20);
  });

  it("holds the demo seed's numbers, so the demo dealerships could register them", async () => {
    for (const d of DEMO_DEALERSHIPS) {
      expect(
        (await client().incomingPhoneNumbers.list({ phoneNumber: d.sendingNumber })).map((n) => n.phoneNumber),
      ).toEqual([d.sendingNumber]);
    }
  });

  it("Messaging Services: fetch one, list its pool; an unknown one is Twilio's 404", async () => {
    const service = testOwnedServices(9)[0]!;
    const fetched = await client().messaging.v1.services(service.sid).fetch();
    expect(fetched).toMatchObject({ sid: service.sid, accountSid: SID, friendlyName: service.friendlyName });
    const pool = await client().messaging.v1.services(service.sid).phoneNumbers.list();
    expect(pool.map((n) => [n.phoneNumber, n.serviceSid])).toEqual(service.phoneNumbers.map((p) => [p, service.sid]));
    const services = await client().messaging.v1.services.list();
    expect(services.map((s) => s.sid)).toEqual(expect.arrayContaining([service.sid, DEMO_OWNED_SERVICES[0]!.sid]));
    const missing = await client()
      .messaging.v1.services(`MG${"0".repeat(32)}`)
      .fetch()
      .catch((e: { status: number; code: number }) => e);
    expect(missing).toMatchObject({ status: 404, code: 20404 });
  });

  it("a registered pool is where a Messaging Service sends from; wrong credentials are 20003", async () => {
    const service = testOwnedServices(9)[1]!;
    const sent = await gateway.send({ to: "+13125550111", messagingServiceSid: service.sid, body: "from the pool" });
    expect(emu.store.messages.get(sent.sid)!.from).toBe(service.phoneNumbers[0]);
    const wrong = twilio(SID, "wrong_token_0123456789", { httpClient: new BaseUrlRequestClient(emu.url) });
    expect(
      await wrong.messaging.v1
        .services(service.sid)
        .fetch()
        .catch((e: { status: number; code: number }) => e),
    ).toMatchObject({ status: 401, code: 20003 });
    expect(await wrong.incomingPhoneNumbers.list().catch((e: { status: number; code: number }) => e)).toMatchObject({
      status: 401,
      code: 20003,
    });
  });
});
