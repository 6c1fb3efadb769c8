import { expect, type Page } from "@playwright/test";
import postgres from "postgres";
import { localAppEnv, stackConfig } from "../../local-stack/config";
import { emulatorSendInbound } from "../../local-stack/twilio/emulator-client";

const env = localAppEnv(stackConfig("e2e"));

/** Northside's demo number, which its leads text. */
export const NORTHSIDE_NUMBER = "+13125550000";

/** A unique marker so a spec finds its own messages, whatever other specs left behind. */
export const marker = (label: string) => `${label} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

/** Page object for the inbox (list, thread, reply box). */
export class InboxPage {
  constructor(readonly page: Page) {}

  /** Find a lead by exact phone from the inbox and open its thread; returns the lead id. */
  async openThreadByPhone(phone: string): Promise<string> {
    await this.page.goto("/inbox");
    await this.page.locator("[data-test=start-conversation-query]").fill(phone);
    await this.page.locator("[data-test=start-conversation-submit]").click();
    await this.page.locator("[data-test=start-conversation-results] a").first().click();
    await expect(this.page.locator("[data-test=thread-header]")).toBeVisible();
    return this.page.url().split("/inbox/")[1]!;
  }

  async typeReply(text: string) {
    await this.page.locator("[data-test=reply-body]").fill(text);
  }

  async sendReply(text: string) {
    await this.typeReply(text);
    await this.page.locator("[data-test=reply-send]").click();
    await expect(this.message(text)).toBeVisible();
  }

  /** The thread message whose body contains text. */
  message(text: string) {
    return this.page
      .locator("[data-test=thread-message]")
      .filter({ has: this.page.locator("[data-test=thread-message-body]", { hasText: text }) });
  }

  conversation(leadId: string) {
    return this.page.locator(`[data-test=conversation-item][data-lead-id="${leadId}"]`);
  }
}

/** Page object for the local test phone (/local/phone). */
export class TestPhonePage {
  constructor(readonly page: Page) {}

  async open(number: string) {
    await this.page.goto("/local/phone");
    await this.page.locator("[data-test=phone-number-input]").fill(number);
    await this.page.locator("[data-test=phone-number-use]").click();
    await expect(this.page.locator("[data-test=phone-active-number]")).toHaveAttribute("data-number", number);
  }

  message(text: string) {
    return this.page.locator("[data-test=phone-message]").filter({ hasText: text });
  }

  async reply(text: string) {
    await this.page.locator("[data-test=phone-reply-body]").fill(text);
    await this.page.locator("[data-test=phone-reply-send]").click();
    await expect(this.page.locator("[data-test=phone-reply-result]")).toHaveText("Sent.");
  }
}

/** A lead's phone texts Northside through the Twilio emulator (signed webhook to the app); returns the lead id. */
export async function leadTexts(from: string, body: string): Promise<string> {
  const sent = await emulatorSendInbound(env.TWILIO_API_BASE_URL!, { from, to: NORTHSIDE_NUMBER, body });
  expect(sent.appStatus).toBe(200);
  const sql = postgres(env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select lead_id from public.messages where twilio_sid = ${sent.messageSid}`;
    return row!.lead_id as string;
  } finally {
    await sql.end();
  }
}

/** Messages staff sent to a lead (read as the platform, to prove what the server refused). */
export async function staffMessageCount(leadId: string): Promise<number> {
  const sql = postgres(env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    const [row] =
      await sql`select count(*)::int as n from public.messages where lead_id = ${leadId} and direction = 'outbound' and not auto_reply`;
    return row!.n as number;
  } finally {
    await sql.end();
  }
}
