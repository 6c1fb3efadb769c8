import { describe, expect, it } from "vitest";
import { demoLeadNames, markerTexts, scanLogForPii } from "./log-scan";

describe("the log scan", () => {
  it("finds e-mail addresses, phone numbers, lead names and message bodies, masking them in the report", () => {
    const [name] = demoLeadNames();
    const log = [
      "▲ Next.js ready on http://localhost:3200",
      "[internal] Error: pg=23505",
      "invite sent to jo.smith+sales@dealer.example.com",
      "sms to +13125550123 failed",
      "call (312) 555-0123 or 312-555-0123",
      `lead ${name} opted out`,
      "body: Do you still have the Outback? kx1",
      "auth POST /token 400",
    ].join("\n");
    const found = scanLogForPii(log, ["Do you still have the Outback?"]);
    expect(found.map((f) => [f.line, f.rule])).toEqual([
      [3, "email"],
      [4, "phone"],
      [5, "phone"],
      [6, "lead_name"],
      [7, "message_body"],
    ]);
    expect(found.map((f) => f.excerpt).join("\n")).not.toMatch(/dealer\.example|5550123|555-0123|Outback/);
  });

  it("lets ordinary server lines through (ids, timestamps, status codes, Twilio SIDs)", () => {
    const log = [
      "auth GET /__emulator/mailbox 200",
      "[team] invitation e-mail refused by Auth: status=500 code=unexpected_failure",
      "lead 6f1c2d1e-8a5b-4c3d-9e2f-0a1b2c3d4e5f column first_name_enc reason authentication_failed",
      "SM0123456789abcdef0123456789abcdef delivered at 1796023020",
    ].join("\n");
    expect(scanLogForPii(log, ["Yes, come by any time."])).toEqual([]);
  });

  it("reads the message texts the specs send", () => {
    expect(markerTexts(`await leadTexts(A, marker("Is it still for sale?")); marker( "STOP please" )`)).toEqual([
      "Is it still for sale?",
      "STOP please",
    ]);
  });
});
