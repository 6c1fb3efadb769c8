import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { describe, expect, it } from "vitest";
import {
  parseTwilioForm,
  publicWebhookUrl,
  verifyTwilioSignature,
  WEBHOOK_CONNECTION_OVERRIDES,
} from "./twilio-signature";

const TOKEN = "test_auth_token_0123456789";
const URL_ = "https://app.example.com/api/twilio/inbound";
const PARAMS = {
  MessageSid: "SM0123456789abcdef0123456789abcdef",
  From: "+13125550111",
  To: "+15555550100",
  Body: "Hi there & more",
};

const verify = (signature: string | null, url = URL_, params: Record<string, string | string[]> = PARAMS) =>
  verifyTwilioSignature({ authToken: TOKEN, signature, url, params });

describe("verifyTwilioSignature", () => {
  const good = getExpectedTwilioSignature(TOKEN, URL_, PARAMS);

  it("accepts a valid signature", () => expect(verify(good)).toBe("valid"));
  it("reports a missing one", () => {
    expect(verify(null)).toBe("missing");
    expect(verify("")).toBe("missing");
  });
  it("refuses a wrong signature, another token, or changed params", () => {
    expect(verify(good.replace(/^./, (c) => (c === "A" ? "B" : "A")))).toBe("invalid");
    expect(verify(getExpectedTwilioSignature("another_token_0123456789", URL_, PARAMS))).toBe("invalid");
    expect(verify(good, URL_, { ...PARAMS, Body: "Hi there & less" })).toBe("invalid");
    expect(verify(good, URL_, { ...PARAMS, Extra: "1" })).toBe("invalid");
  });
  it("refuses a signature made for another URL (path, host, query)", () => {
    expect(verify(good, "https://app.example.com/api/twilio/status")).toBe("invalid");
    expect(verify(good, "https://evil.example.com/api/twilio/inbound")).toBe("invalid");
    expect(verify(good, `${URL_}?x=1`)).toBe("invalid");
  });
  it("scheme matters, the default port does not (Twilio may sign with or without it)", () => {
    expect(verify(getExpectedTwilioSignature(TOKEN, "https://app.example.com:443/api/twilio/inbound", PARAMS))).toBe(
      "valid",
    );
    expect(verify(getExpectedTwilioSignature(TOKEN, "http://app.example.com/api/twilio/inbound", PARAMS))).toBe(
      "invalid",
    );
    expect(verify(getExpectedTwilioSignature(TOKEN, "https://app.example.com:8443/api/twilio/inbound", PARAMS))).toBe(
      "invalid",
    );
  });
  it("does not depend on parameter order in the body", () => {
    const body =
      "To=%2B15555550100&Body=Hi+there+%26+more&MessageSid=SM0123456789abcdef0123456789abcdef&From=%2B13125550111";
    expect(verify(good, URL_, parseTwilioForm(body))).toBe("valid");
  });
});

describe("parseTwilioForm", () => {
  it("decodes + and %XX and keeps repeated keys", () => {
    expect(parseTwilioForm("Body=a+b%21&MediaUrl=1&MediaUrl=2")).toEqual({ Body: "a b!", MediaUrl: ["1", "2"] });
  });
});

describe("publicWebhookUrl", () => {
  it("takes origin from APP_BASE_URL and only path + query from the request", () => {
    expect(publicWebhookUrl("https://app.example.com", "http://10.0.0.5:3000/api/twilio/status?m=abc")).toBe(
      "https://app.example.com/api/twilio/status?m=abc",
    );
    expect(publicWebhookUrl("https://app.example.com/", "http://evil.example.com/api/twilio/inbound")).toBe(URL_);
  });
});

describe("webhook URLs with Twilio connection overrides or a fallback URL", () => {
  it("a signature over the URL with our connection-override fragment is valid (the server never sees the fragment)", () => {
    const signedUrl = `${URL_}${WEBHOOK_CONNECTION_OVERRIDES}`;
    expect(signedUrl).toMatch(/#rc=\d&rp=[a-z0-9,]+&ct=\d+&rt=\d+&tt=\d+$/);
    expect(verify(getExpectedTwilioSignature(TOKEN, signedUrl, PARAMS))).toBe("valid");
    expect(
      verify(
        getExpectedTwilioSignature(
          TOKEN,
          "https://app.example.com:443/api/twilio/inbound" + WEBHOOK_CONNECTION_OVERRIDES,
          PARAMS,
        ),
      ),
    ).toBe("valid");
  });

  it("the bare URL stays valid, and an unknown fragment or another URL with our fragment is not", () => {
    expect(verify(getExpectedTwilioSignature(TOKEN, URL_, PARAMS))).toBe("valid");
    expect(verify(getExpectedTwilioSignature(TOKEN, `${URL_}#rc=5&rt=999`, PARAMS))).toBe("invalid");
    const statusSigned = getExpectedTwilioSignature(
      TOKEN,
      `https://app.example.com/api/twilio/status${WEBHOOK_CONNECTION_OVERRIDES}`,
      PARAMS,
    );
    expect(verify(statusSigned)).toBe("invalid");
    expect(
      verify(
        getExpectedTwilioSignature(TOKEN, `${URL_}${WEBHOOK_CONNECTION_OVERRIDES}`, { ...PARAMS, Body: "changed" }),
        URL_,
        PARAMS,
      ),
    ).toBe("invalid");
  });

  it("a fallback URL (same route, its own query) is checked as the URL it is", () => {
    const fallback = `${URL_}?fallback=1`;
    expect(
      verify(getExpectedTwilioSignature(TOKEN, `${fallback}${WEBHOOK_CONNECTION_OVERRIDES}`, PARAMS), fallback),
    ).toBe("valid");
    expect(verify(getExpectedTwilioSignature(TOKEN, fallback, PARAMS), fallback)).toBe("valid");
    expect(verify(getExpectedTwilioSignature(TOKEN, fallback, PARAMS))).toBe("invalid");
  });
});
