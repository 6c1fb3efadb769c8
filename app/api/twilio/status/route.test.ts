/**
 * The status callback webhook: signature and request rules, terminal statuses that stay terminal
 * whatever order callbacks arrive in, the ?m= message id for callbacks that beat the sid write,
 * and Twilio's 21610 opting the lead out.
 */
import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSendingNumber,
  seedInboundMessage,
  testLeadPhone,
  testMessageSid,
} from "@/lib/sms/testing/messaging-fixtures";
import { signedTwilioRequest } from "@/lib/sms/testing/signed-webhook-request";
import { adminSql, createDealership } from "@/local-stack/test-fixtures";
import { POST } from "./route";

let sql: Sql;
let dealershipId: string;
let number: string;
let conversation: { leadId: string; conversationId: string };

/** An outbound message as the send path leaves it; sid null = the app has not written it yet. */
async function outbound(
  status = "queued",
  sid: string | null = testMessageSid(),
): Promise<{ id: string; sid: string }> {
  const id = randomUUID();
  await sql`insert into public.messages (id, dealership_id, conversation_id, lead_id, direction, body_enc, twilio_sid, status)
    values (${id}, ${dealershipId}, ${conversation.conversationId}, ${conversation.leadId}, 'outbound', 'v1.x.y.z', ${sid}, ${status})`;
  return { id, sid: sid ?? testMessageSid() };
}

function callback(sid: string, status: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AccountSid: process.env.TWILIO_ACCOUNT_SID!,
    ApiVersion: "2010-04-01",
    MessageSid: sid,
    SmsSid: sid,
    MessageStatus: status,
    SmsStatus: status,
    To: "+13125550111",
    From: number,
    ...extra,
  };
}

const post = (params: Record<string, string>, query = "") =>
  POST(signedTwilioRequest(`/api/twilio/status${query}`, params));
const row = async (id: string) =>
  (await sql`select status, error_code, twilio_sid from public.messages where id = ${id}`)[0];

beforeAll(async () => {
  sql = adminSql();
  dealershipId = await createDealership(sql, "Status Motors");
  const sending = await createSendingNumber(sql, dealershipId);
  number = sending.phone;
  conversation = await seedInboundMessage(sql, dealershipId, {
    sendingNumberId: sending.id,
    from: testLeadPhone(),
    body: "hi",
  });
});

afterAll(async () => {
  await sql?.end();
});

describe("status callbacks", () => {
  it("move a message forward: sent, then delivered (204, no body)", async () => {
    const m = await outbound();
    const res = await post(callback(m.sid, "sent"));
    expect(res.status).toBe(204);
    expect((await row(m.id))!.status).toBe("sent");
    await post(callback(m.sid, "delivered"));
    expect((await row(m.id))!.status).toBe("delivered");
  });

  it("delivered then a late sent: stays delivered", async () => {
    const m = await outbound();
    await post(callback(m.sid, "delivered"));
    await post(callback(m.sid, "sent"));
    await post(callback(m.sid, "queued"));
    expect(await row(m.id)).toMatchObject({ status: "delivered", error_code: null });
  });

  it("no terminal status replaces another, and a non-terminal one never goes back", async () => {
    const failed = await outbound();
    await post(callback(failed.sid, "undelivered", { ErrorCode: "30007" }));
    await post(callback(failed.sid, "delivered"));
    expect(await row(failed.id)).toMatchObject({ status: "undelivered", error_code: 30007 });
    const sent = await outbound("sent");
    await post(callback(sent.sid, "queued"));
    expect((await row(sent.id))!.status).toBe("sent");
  });

  it("racing callbacks in any order end terminal", async () => {
    const m = await outbound();
    await Promise.all(["sent", "delivered", "sent", "queued"].map((s) => post(callback(m.sid, s))));
    expect((await row(m.id))!.status).toBe("delivered");
  });

  it("a callback that beats the app's sid write finds the message by ?m= and links the sid", async () => {
    const m = await outbound("pending", null);
    await post(callback(m.sid, "sent"), `?m=${m.id}`);
    expect(await row(m.id)).toMatchObject({ status: "sent", twilio_sid: m.sid });
  });

  it("21610 (recipient opted out at Twilio) opts the lead out", async () => {
    const m = await outbound();
    await post(callback(m.sid, "failed", { ErrorCode: "21610" }));
    expect(await row(m.id)).toMatchObject({ status: "failed", error_code: 21610 });
    const [lead] = await sql`select consent_status, consent_source from public.leads where id = ${conversation.leadId}`;
    expect(lead).toEqual({ consent_status: "opted_out", consent_source: "twilio_error_21610" });
  });

  it("unknown messages and untracked statuses are acknowledged and change nothing", async () => {
    expect((await post(callback(testMessageSid(), "delivered"))).status).toBe(204);
    const m = await outbound();
    expect((await post(callback(m.sid, "read"))).status).toBe(204);
    expect((await row(m.id))!.status).toBe("queued");
  });

  it("signature and content rules as for inbound; refused callbacks change nothing", async () => {
    const m = await outbound();
    const params = callback(m.sid, "delivered");
    expect(
      (await POST(signedTwilioRequest("/api/twilio/status", params, { headers: { "x-twilio-signature": null } })))
        .status,
    ).toBe(400);
    expect(
      (await POST(signedTwilioRequest("/api/twilio/status", params, { headers: { "x-twilio-signature": "bm9wZQ==" } })))
        .status,
    ).toBe(403);
    // Signed for one message id, replayed with another in the query.
    const replay = signedTwilioRequest("/api/twilio/status?m=" + randomUUID(), params, {
      requestUrl: `${process.env.APP_BASE_URL}/api/twilio/status?m=${m.id}`,
    });
    expect((await POST(replay)).status).toBe(403);
    expect(
      (await POST(signedTwilioRequest("/api/twilio/status", params, { headers: { "content-type": "text/plain" } })))
        .status,
    ).toBe(415);
    expect((await row(m.id))!.status).toBe("queued");
  });
});

describe("rate", () => {
  it("150 verified callbacks in a minute from one number are all applied; forged ones are limited per address", async () => {
    const statuses: number[] = [];
    const messages = await Promise.all(Array.from({ length: 75 }, () => outbound()));
    for (const m of messages) {
      statuses.push((await post(callback(m.sid, "sent"))).status);
      statuses.push((await post(callback(m.sid, "delivered"))).status);
    }
    expect(statuses.filter((s) => s !== 204)).toEqual([]);
    expect((await row(messages.at(-1)!.id))!.status).toBe("delivered");

    const address = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    const victim = await outbound();
    const forged = () =>
      POST(
        signedTwilioRequest("/api/twilio/status", callback(victim.sid, "failed", { ErrorCode: "21610" }), {
          headers: { "x-twilio-signature": "Zm9yZ2Vk", "x-forwarded-for": address },
        }),
      );
    for (let i = 0; i < 100; i++) expect((await forged()).status).toBe(403);
    const res = await forged();
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await row(victim.id))!.status).toBe("queued");
  }, 60_000);
});
