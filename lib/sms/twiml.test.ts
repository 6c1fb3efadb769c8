import { describe, expect, it } from "vitest";
import { helpReplyText } from "./help-reply";
import { countSmsSegments } from "./segments";
import { backoffDelay } from "./send-retry";
import { twimlResponse } from "./twiml";

describe("twimlResponse", () => {
  it("is empty by default and escapes replies", () => {
    expect(twimlResponse()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(twimlResponse(["A & B <Motors>"])).toContain("<Message>A &amp; B &lt;Motors&gt;</Message>");
  });
});

describe("helpReplyText", () => {
  it("names the dealership, says how to stop, and stays GSM-7", () => {
    const text = helpReplyText("Northside Motors ✓");
    expect(text).toMatch(/^Northside Motors: /);
    expect(text).toContain("STOP");
    expect(countSmsSegments(text).encoding).toBe("GSM-7");
  });
});

describe("backoffDelay", () => {
  it("grows exponentially with full jitter and is capped", () => {
    const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 300 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, policy, () => 0.999))).toEqual([99, 199, 299, 299]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });
});
