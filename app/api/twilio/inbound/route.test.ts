/**
 * The inbound webhook, called the way Next.js calls it (POST(request)), against the test database:
 * signature rules (nothing stored when refused), request limits, idempotency, routing, consent
 * keywords, encryption at rest and what reaches the logs.
 */
import type { Sql } from "postgres";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { blindIndex } from "@/lib/crypto/blind-index";
import { decryptLeadPii } from "@/lib/leads/lead-fields";
import { logger } from "@/lib/observability/logger";
import { decryptMessageBody } from "@/lib/sms/message-body";
import {
  createSendingNumber,
  testLeadPhone,
  testMessageSid,
  testSendingNumber,
} from "@/lib/sms/testing/messaging-fixtures";
import { publicUrl, signedTwilioRequest, twilioSignature } from "@/lib/sms/testing/signed-webhook-request";
import { WEBHOOK_CONNECTION_OVERRIDES } from "@/lib/sms/twilio-signature";
import { adminSql, createDealership, createLead } from "@/local-stack/test-fixtures";
import { POST } from "./route";

const PATH = "/api/twilio/inbound";
let sql: Sql;
let dealershipId: string;
let dealershipName: string;
let number: string;

function inbound(from: string, body: string, extra: Record<string, string> = {}, to = number): Record<string, string> {
  const sid = testMessageSid();
  return {
    ToCountry: "US",
    SmsMessageSid: sid,
    SmsSid: sid,
    MessageSid: sid,
    NumMedia: "0",
    SmsStatus: "received",
    AccountSid: process.env.TWILIO_ACCOUNT_SID!,
    From: from,
    To: to,
    Body: body,
    NumSegments: "1",
    ApiVersion: "2010-04-01",
    ...extra,
  };
}

const storedCount = async (sid: string) =>
  Number((await sql`select count(*) from public.messages where twilio_sid = ${sid}`)[0]!.count);
const leadByPhone = async (phone: string) =>
  (
    await sql`select * from public.leads where dealership_id = ${dealershipId} and phone_bidx = ${blindIndex("phone", phone, dealershipId)}`
  )[0];

beforeAll(async () => {
  sql = adminSql();
  dealershipId = await createDealership(sql, "Inbound Motors");
  dealershipName = (await sql`select name from public.dealerships where id = ${dealershipId}`)[0]!.name;
  number = (await createSendingNumber(sql, dealershipId)).phone;
});

afterAll(async () => {
  await sql?.end();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("signature", () => {
  it("a valid signature is stored and answered with empty TwiML", async () => {
    const params = inbound(testLeadPhone(), "Is the F-150 still there?");
    const res = await POST(signedTwilioRequest(PATH, params));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/xml/);
    expect(await res.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(await storedCount(params.MessageSid!)).toBe(1);
  });

  it("missing → 400, wrong → 403, and nothing is stored either way", async () => {
    const params = inbound(testLeadPhone(), "hello");
    expect((await POST(signedTwilioRequest(PATH, params, { headers: { "x-twilio-signature": null } }))).status).toBe(
      400,
    );
    const forged = twilioSignature(publicUrl(PATH), params, "not_the_real_token_000000");
    expect((await POST(signedTwilioRequest(PATH, params, { headers: { "x-twilio-signature": forged } }))).status).toBe(
      403,
    );
    const tampered = signedTwilioRequest(PATH, params, {
      body: new URLSearchParams({ ...params, Body: "tampered" }).toString(),
    });
    expect((await POST(tampered)).status).toBe(403);
    expect(await storedCount(params.MessageSid!)).toBe(0);
    expect(await leadByPhone(params.From!)).toBeUndefined();
  });

  it("a signature for another URL, scheme or port is refused", async () => {
    const params = inbound(testLeadPhone(), "hello");
    const base = new URL(process.env.APP_BASE_URL!);
    for (const signedUrl of [
      publicUrl("/api/twilio/status"),
      publicUrl(`${PATH}?extra=1`),
      `https://${base.host}${PATH}`,
      `http://${base.hostname}:9999${PATH}`,
    ]) {
      expect((await POST(signedTwilioRequest(PATH, params, { signedUrl }))).status).toBe(403);
    }
    expect(await storedCount(params.MessageSid!)).toBe(0);
  });

  it("the public URL comes from APP_BASE_URL, never from Host or X-Forwarded-* headers", async () => {
    const params = inbound(testLeadPhone(), "hello");
    const evil = "https://evil.example.com/api/twilio/inbound";
    const forgedProxy = signedTwilioRequest(PATH, params, {
      signedUrl: evil,
      requestUrl: evil,
      headers: { "x-forwarded-host": "evil.example.com", "x-forwarded-proto": "https", host: "evil.example.com" },
    });
    expect((await POST(forgedProxy)).status).toBe(403);
    // Behind a proxy the server sees an internal URL; the signature for the public one still holds.
    const internal = signedTwilioRequest(PATH, params, {
      requestUrl: `http://10.0.0.7:3000${PATH}`,
      headers: { "x-forwarded-host": "evil.example.com" },
    });
    expect((await POST(internal)).status).toBe(200);
    expect(await storedCount(params.MessageSid!)).toBe(1);
  });

  it("connection overrides (#rc=…) and a fallback URL: signed as configured at Twilio, still accepted", async () => {
    // Twilio signs the URL as configured, fragment included; the fragment never reaches us.
    const withOverrides = inbound(testLeadPhone(), "retried through a database hiccup");
    expect(
      (
        await POST(
          signedTwilioRequest(PATH, withOverrides, { signedUrl: publicUrl(PATH) + WEBHOOK_CONNECTION_OVERRIDES }),
        )
      ).status,
    ).toBe(200);
    expect(await storedCount(withOverrides.MessageSid!)).toBe(1);
    const fallback = inbound(testLeadPhone(), "via the fallback URL");
    const fallbackPath = `${PATH}?fallback=1`;
    expect(
      (
        await POST(
          signedTwilioRequest(fallbackPath, fallback, {
            signedUrl: publicUrl(fallbackPath) + WEBHOOK_CONNECTION_OVERRIDES,
          }),
        )
      ).status,
    ).toBe(200);
    expect(await storedCount(fallback.MessageSid!)).toBe(1);
    // A fragment we do not document cannot be guessed, so it is refused like any other URL.
    const unknown = inbound(testLeadPhone(), "x");
    expect((await POST(signedTwilioRequest(PATH, unknown, { signedUrl: `${publicUrl(PATH)}#rc=1` }))).status).toBe(403);
  });

  it("parameter order in the body does not matter", async () => {
    const params = inbound(testLeadPhone(), "order test");
    const reversed = new URLSearchParams(Object.entries(params).reverse()).toString();
    expect((await POST(signedTwilioRequest(PATH, params, { body: reversed }))).status).toBe(200);
  });
});

describe("request limits", () => {
  it("a non-form body is 415", async () => {
    const params = inbound(testLeadPhone(), "json?");
    const res = await POST(
      signedTwilioRequest(PATH, params, {
        headers: { "content-type": "application/json" },
        body: JSON.stringify(params),
      }),
    );
    expect(res.status).toBe(415);
    expect(await storedCount(params.MessageSid!)).toBe(0);
  });

  it("a body over 64 KB is 413, whatever Content-Length claims", async () => {
    const params = inbound(testLeadPhone(), "x".repeat(70 * 1024));
    expect((await POST(signedTwilioRequest(PATH, params))).status).toBe(413);
    expect((await POST(signedTwilioRequest(PATH, params, { headers: { "content-length": "100" } }))).status).toBe(413);
    expect(await storedCount(params.MessageSid!)).toBe(0);
  });
});

describe("rate: verified traffic is never refused, forged traffic is limited per client address", () => {
  it("150 verified messages in a minute to one number are all accepted, including a STOP at the end", async () => {
    const senders = [testLeadPhone(), testLeadPhone(), testLeadPhone()];
    const stopper = testLeadPhone();
    await createLead(sql, dealershipId, { phone: stopper });
    const statuses: number[] = [];
    for (let i = 0; i < 149; i++) {
      statuses.push((await POST(signedTwilioRequest(PATH, inbound(senders[i % 3]!, `busy ${i}`)))).status);
    }
    const stop = inbound(stopper, "STOP");
    statuses.push((await POST(signedTwilioRequest(PATH, stop))).status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(statuses).toHaveLength(150);
    expect(await storedCount(stop.MessageSid!)).toBe(1);
    expect(await leadByPhone(stopper)).toMatchObject({ consent_status: "opted_out" });
  }, 60_000);

  it("101 forged requests from one address: the 101st is 429 with Retry-After, and nothing is stored", async () => {
    const address = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
    const headers = { "x-twilio-signature": "Zm9yZ2VkLXNpZ25hdHVyZQ==", "x-forwarded-for": address };
    const sids: string[] = [];
    for (let i = 0; i < 100; i++) {
      const params = inbound(testLeadPhone(), "forged");
      sids.push(params.MessageSid!);
      // A new first hop each time changes nothing: only the last hop (our proxy's) is the address.
      const forwarded = `10.9.${i}.1, ${address}`;
      expect(
        (await POST(signedTwilioRequest(PATH, params, { headers: { ...headers, "x-forwarded-for": forwarded } })))
          .status,
      ).toBe(403);
    }
    const last = inbound(testLeadPhone(), "STOP");
    const res = await POST(signedTwilioRequest(PATH, last, { headers }));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    // Missing signatures count too; another address is unaffected, and so is verified traffic.
    expect(
      (
        await POST(
          signedTwilioRequest(PATH, inbound(testLeadPhone(), "x"), {
            headers: { "x-twilio-signature": null, "x-forwarded-for": address },
          }),
        )
      ).status,
    ).toBe(429);
    expect(
      (
        await POST(
          signedTwilioRequest(PATH, inbound(testLeadPhone(), "x"), {
            headers: { ...headers, "x-forwarded-for": "192.0.2.77" },
          }),
        )
      ).status,
    ).toBe(403);
    const genuine = inbound(testLeadPhone(), "genuine");
    expect((await POST(signedTwilioRequest(PATH, genuine, { headers: { "x-forwarded-for": address } }))).status).toBe(
      200,
    );
    const stored =
      await sql`select count(*) from public.messages where twilio_sid = any(${[...sids, last.MessageSid!]})`;
    expect(Number(stored[0]!.count)).toBe(0);
    expect(await storedCount(genuine.MessageSid!)).toBe(1);
  }, 60_000);
});

describe("storing", () => {
  it("a retried MessageSid is stored once, also when retries race", async () => {
    const params = inbound(testLeadPhone(), "only once");
    expect((await POST(signedTwilioRequest(PATH, params))).status).toBe(200);
    const retries = await Promise.all([1, 2, 3, 4].map(() => POST(signedTwilioRequest(PATH, params))));
    expect(retries.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(await storedCount(params.MessageSid!)).toBe(1);
    const [conv] =
      await sql`select c.unread_count from public.conversations c join public.messages m on m.conversation_id = c.id where m.twilio_sid = ${params.MessageSid!}`;
    expect(conv!.unread_count).toBe(1);
    const racing = inbound(testLeadPhone(), "racing first delivery");
    await Promise.all([1, 2, 3].map(() => POST(signedTwilioRequest(PATH, racing))));
    expect(await storedCount(racing.MessageSid!)).toBe(1);
  });

  it("a known sender's reply joins their lead and wakes it up", async () => {
    const phone = testLeadPhone();
    const leadId = await createLead(sql, dealershipId, { phone, firstName: "Dana" });
    const params = inbound(phone, "Yes, still looking");
    await POST(signedTwilioRequest(PATH, params));
    const [m] =
      await sql`select lead_id, direction, status from public.messages where twilio_sid = ${params.MessageSid!}`;
    expect(m).toEqual({ lead_id: leadId, direction: "inbound", status: "received" });
    expect((await leadByPhone(phone))!.status).toBe("engaged");
  });

  it("an unknown sender becomes a new lead (source inbound SMS) with an encrypted phone", async () => {
    const phone = testLeadPhone();
    await POST(signedTwilioRequest(PATH, inbound(phone, "Who is this?")));
    const lead = await leadByPhone(phone);
    expect(lead).toMatchObject({ consent_status: "unknown" });
    // The source is the dealership's system source "inbound SMS": an id, never free text.
    const [source] =
      await sql`select dealership_id, system_key, label_enc from public.lead_sources where id = ${lead!.source_id}`;
    expect(source).toEqual({ dealership_id: dealershipId, system_key: "inbound_sms", label_enc: null });
    expect(decryptLeadPii({ id: lead!.id, dealership_id: dealershipId, pii_enc: lead!.pii_enc }).phone).toBe(phone);
  });

  it("Messaging Service pool numbers route by MessagingServiceSid", async () => {
    const service = `MG${testMessageSid().slice(2)}`;
    const other = await createDealership(sql, "Pool Motors");
    await sql`insert into public.sending_numbers (dealership_id, messaging_service_sid) values (${other}, ${service})`;
    const params = inbound(testLeadPhone(), "via the pool", { MessagingServiceSid: service }, testSendingNumber());
    await POST(signedTwilioRequest(PATH, params));
    const [m] = await sql`select dealership_id from public.messages where twilio_sid = ${params.MessageSid!}`;
    expect(m!.dealership_id).toBe(other);
  });

  it("MessagingServiceSid wins over To: a pool number registered elsewhere still routes to the service's dealership", async () => {
    const service = `MG${testMessageSid().slice(2)}`;
    const serviceOwner = await createDealership(sql, "Service Motors");
    await sql`insert into public.sending_numbers (dealership_id, messaging_service_sid) values (${serviceOwner}, ${service})`;
    const params = inbound(testLeadPhone(), "to a pool number", { MessagingServiceSid: service }, number);
    await POST(signedTwilioRequest(PATH, params));
    const [m] = await sql`select dealership_id from public.messages where twilio_sid = ${params.MessageSid!}`;
    expect(m!.dealership_id).toBe(serviceOwner);
    // Without the service sid (or with one nobody registered) To decides.
    const plain = inbound(testLeadPhone(), "direct", { MessagingServiceSid: `MG${testMessageSid().slice(2)}` });
    await POST(signedTwilioRequest(PATH, plain));
    expect(
      (await sql`select dealership_id from public.messages where twilio_sid = ${plain.MessageSid!}`)[0]!.dealership_id,
    ).toBe(dealershipId);
  });

  it("a message to a number no dealership has is acknowledged and not stored", async () => {
    const params = inbound(testLeadPhone(), "wrong number", {}, testSendingNumber());
    expect((await POST(signedTwilioRequest(PATH, params))).status).toBe(200);
    expect(await storedCount(params.MessageSid!)).toBe(0);
  });

  it("bodies are encrypted at rest: a raw superuser scan finds neither the body nor the phone", async () => {
    const phone = testLeadPhone();
    const marker = `Marker-${testMessageSid().slice(2, 14)} my trade-in is a 2019 Civic`;
    const params = inbound(phone, marker);
    await POST(signedTwilioRequest(PATH, params));
    for (const table of ["messages", "conversations", "leads", "audit_events"]) {
      const hits = await sql.unsafe(`select count(*) from public.${table} t where t::text like $1 or t::text like $2`, [
        `%${marker.slice(0, 19)}%`,
        `%${phone.slice(2)}%`,
      ]);
      expect({ table, hits: Number(hits[0]!.count) }).toEqual({ table, hits: 0 });
    }
    const [m] = await sql`select id, body_enc from public.messages where twilio_sid = ${params.MessageSid!}`;
    expect(m!.body_enc).toMatch(/^v1\./);
    expect(decryptMessageBody(m!.body_enc, dealershipId, m!.id)).toBe(marker);
  });
});

describe("consent keywords", () => {
  it("STOP opts out at once, records the change, and START opts back in", async () => {
    const phone = testLeadPhone();
    const leadId = await createLead(sql, dealershipId, { phone });
    await POST(signedTwilioRequest(PATH, inbound(phone, " Stop ")));
    expect(await leadByPhone(phone)).toMatchObject({
      consent_status: "opted_out",
      status: "opted_out",
      consent_source: "sms_keyword:STOP",
    });
    const [audit] =
      await sql`select action, actor_user_id, metadata from public.audit_events where target_id = ${leadId}`;
    expect(audit).toEqual({ action: "lead.opted_out", actor_user_id: null, metadata: { source: "sms_keyword:STOP" } });
    await POST(signedTwilioRequest(PATH, inbound(phone, "START")));
    expect(await leadByPhone(phone)).toMatchObject({ consent_status: "opted_in", status: "engaged" });
    const history = await sql`select status, source from public.consent_events where lead_id = ${leadId} order by id`;
    expect(history).toEqual([
      { status: "opted_out", source: "sms_keyword:STOP" },
      { status: "opted_in", source: "sms_keyword:START" },
    ]);
  });

  it("Twilio's OptOutType is honoured whatever the body says", async () => {
    const phone = testLeadPhone();
    await POST(signedTwilioRequest(PATH, inbound(phone, "ARRET", { OptOutType: "STOP" })));
    expect(await leadByPhone(phone)).toMatchObject({
      consent_status: "opted_out",
      consent_source: "twilio_opt_out_type:STOP",
    });
  });

  it("a plain-words request opts out, flags the conversation, and the lead's START undoes it", async () => {
    for (const [body, source] of [
      ["Please stop sending me messages", "sms_request:en"],
      ["no me escriban más", "sms_request:es"],
    ] as const) {
      const phone = testLeadPhone();
      const leadId = await createLead(sql, dealershipId, { phone });
      const params = inbound(phone, body);
      expect((await POST(signedTwilioRequest(PATH, params))).status).toBe(200);
      expect(await leadByPhone(phone)).toMatchObject({
        consent_status: "opted_out",
        status: "opted_out",
        consent_source: source,
      });
      const [m] =
        await sql`select m.needs_review, c.needs_attention from public.messages m join public.conversations c on c.id = m.conversation_id where m.twilio_sid = ${params.MessageSid!}`;
      expect(m).toEqual({ needs_review: true, needs_attention: true });
      const [audit] = await sql`select action, metadata from public.audit_events where target_id = ${leadId}`;
      expect(audit).toEqual({ action: "lead.opted_out", metadata: { source } });
      await POST(signedTwilioRequest(PATH, inbound(phone, "START")));
      expect(await leadByPhone(phone)).toMatchObject({ consent_status: "opted_in", status: "engaged" });
    }
  });

  it("keyword variants opt out as the keyword: zero-width joiner, full-width, repeats, trailing punctuation", async () => {
    for (const body of ["ST\u200dOP", "ＳＴＯＰ", "STOP STOP", "Stop.", " stop!!"]) {
      const phone = testLeadPhone();
      await POST(signedTwilioRequest(PATH, inbound(phone, body)));
      expect({ body, lead: await leadByPhone(phone) }).toMatchObject({
        body,
        lead: { consent_status: "opted_out", consent_source: "sms_keyword:STOP" },
      });
    }
  });

  it("'stop' inside a sentence that is not a request does not opt out but flags the conversation", async () => {
    const phone = testLeadPhone();
    const params = inbound(phone, "Can you STOP");
    await POST(signedTwilioRequest(PATH, params));
    expect((await leadByPhone(phone))!.consent_status).toBe("unknown");
    const [m] =
      await sql`select m.needs_review, c.needs_attention from public.messages m join public.conversations c on c.id = m.conversation_id where m.twilio_sid = ${params.MessageSid!}`;
    expect(m).toEqual({ needs_review: true, needs_attention: true });
  });

  it("HELP is answered in TwiML naming the dealership, stored once as an auto reply", async () => {
    const phone = testLeadPhone();
    const params = inbound(phone, "help");
    const res = await POST(signedTwilioRequest(PATH, params));
    const xml = await res.text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response><Message>.+<\/Message><\/Response>$/);
    expect(xml).toContain(dealershipName.replace(/&/g, "&amp;"));
    expect(xml).toContain("STOP");
    await POST(signedTwilioRequest(PATH, params)); // a retry answers again but stores nothing new
    const lead = await leadByPhone(phone);
    const rows =
      await sql`select id, direction, auto_reply, body_enc from public.messages where lead_id = ${lead!.id} order by created_at, direction`;
    expect(rows.map((r) => [r.direction, r.auto_reply])).toEqual([
      ["inbound", false],
      ["outbound", true],
    ]);
    expect(decryptMessageBody(rows[1]!.body_enc, dealershipId, rows[1]!.id)).toContain(dealershipName);
    expect(lead!.consent_status).toBe("unknown");
  });
});

describe("logs", () => {
  it("never carry a full phone number or a body", async () => {
    const lines: string[] = [];
    // What the handlers hand the logger, before its own masking: it must already be free of PII.
    for (const level of ["info", "warn", "error", "fatal"] as const) {
      vi.spyOn(logger(), level).mockImplementation(
        ((...args: unknown[]) => void lines.push(JSON.stringify(args))) as never,
      );
    }
    const phone = testLeadPhone();
    const wrong = testSendingNumber();
    await POST(signedTwilioRequest(PATH, inbound(phone, "STOP")));
    await POST(signedTwilioRequest(PATH, inbound(phone, "secret body text", {}, wrong)));
    await POST(signedTwilioRequest(PATH, inbound(phone, "secret body text", { From: "whatsapp:+13125550000" })));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).not.toContain(phone.slice(2));
      expect(line).not.toContain(wrong.slice(2));
      expect(line).not.toContain("secret body");
    }
  });
});
