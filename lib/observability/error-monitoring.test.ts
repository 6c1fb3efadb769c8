/**
 * Error monitoring with the real Sentry SDK: a local HTTP endpoint stands in for Sentry (the DSN
 * points at it), so the test reads the envelopes the SDK's own transport sends. An event full of
 * personal data (a phone, an e-mail, a name, a message body, a session cookie) arrives scrubbed;
 * without SENTRY_DSN nothing is initialised and nothing is sent.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import * as Sentry from "@sentry/nextjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initErrorMonitoring, reportRequestError } from "./error-monitoring";
import { withRequestId } from "./logger";

const received: string[] = [];
let server: http.Server;
let dsn: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      received.push((req.headers["content-encoding"] === "gzip" ? gunzipSync(body) : body).toString("utf8"));
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  dsn = `http://public0key@127.0.0.1:${(server.address() as AddressInfo).port}/42`;
});
afterAll(async () => {
  await Sentry.close(2000);
  await new Promise((resolve) => server.close(resolve));
});

const PHONE = "+15551234567";
const EMAIL = "zelda.quigley@example.com";
const NAME = ["Zelda", "Quigley"];
const BODY = "Can you call me back about the trade-in";
const TOKEN = "secret-session-token-value";

describe("error monitoring", () => {
  it("without SENTRY_DSN initialises nothing and sends nothing", async () => {
    expect(initErrorMonitoring({})).toBe(false);
    expect(Sentry.getClient()).toBeUndefined();
    Sentry.captureException(new Error(`nothing for ${PHONE}`));
    await Sentry.flush(500);
    expect(received).toEqual([]);
  });

  it("sends events with no phone, e-mail, name, message body or token left in them", async () => {
    expect(initErrorMonitoring({ SENTRY_DSN: dsn, NODE_ENV: "test" })).toBe(true);
    Sentry.addBreadcrumb({
      category: "sms",
      message: `texting ${PHONE} for ${EMAIL}`,
      data: { body: BODY, to: PHONE, url: `https://api.example.test/send?email=${EMAIL}` },
    });
    withRequestId("req-monitoring-1", () =>
      Sentry.withScope((scope) => {
        scope.setUser({ id: "u1", email: EMAIL, username: NAME.join(" "), ip_address: "203.0.113.9" });
        scope.setExtra("lead", { first_name: NAME[0], last_name: NAME[1], phone: PHONE });
        scope.setExtra("body", BODY);
        scope.setContext("reply", { Body: BODY, from: PHONE, name: NAME.join(" ") });
        scope.setTag("customer", EMAIL);
        Sentry.captureException(new Error(`sending to ${PHONE} for ${EMAIL} failed`));
      }),
    );
    reportRequestError(
      new Error(`action failed for ${EMAIL}`),
      {
        path: `/leads?phone=${encodeURIComponent(PHONE)}&email=${EMAIL}`,
        method: "POST",
        headers: { cookie: `sb-access-token=${TOKEN}`, authorization: `Bearer ${TOKEN}`, "x-request-id": "r1" },
      },
      { routerKind: "App Router", routePath: "/leads", routeType: "action" },
    );
    expect(await Sentry.flush(5000)).toBe(true);

    const all = received.join("\n");
    // Both events arrived, with what is useful kept: the error type, the masked message, the request id.
    expect(all).toContain("sending to …4567 for [email] failed");
    expect(all).toContain("action failed for [email]");
    expect(all).toContain("req-monitoring-1");
    expect(all).toContain('"request_path":"/leads"');
    for (const pii of [PHONE, PHONE.slice(2), EMAIL, ...NAME, BODY, TOKEN, "203.0.113.9"]) {
      expect(all, pii).not.toContain(pii);
    }
  });
});
