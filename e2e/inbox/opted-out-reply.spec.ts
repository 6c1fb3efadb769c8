import { expect, test } from "@playwright/test";
import { AuthPage } from "../auth/auth.po";
import { InboxPage, leadTexts, marker, staffMessageCount } from "./inbox.po";

const OPTED_OUT_LEAD = "+13125550123";
const SENTENCE_LEAD = "+13125550127";

test.describe("the inbox and consent", () => {
  // manager@northside (not the owner): spreads the run's sign-ins under the 5-per-minute limit.
  test.beforeEach(async ({ page }) => {
    await new AuthPage(page).signInAndWaitForDashboard("manager@northside.test");
  });

  test("replying to an opted-out lead is refused, in the page and by the server", async ({ page }) => {
    const leadId = await leadTexts(OPTED_OUT_LEAD, "STOP");
    await page.goto(`/inbox/${leadId}`);
    await expect(page.locator("[data-test=thread-consent]")).toHaveAttribute("data-consent", "opted_out");
    await expect(page.locator("[data-test=reply-disabled-reason]")).toContainText("opted out");
    await expect(page.locator("[data-test=reply-body]")).toBeDisabled();
    await expect(page.locator("[data-test=reply-send]")).toBeDisabled();

    // Force the form past the browser's refusal: the server still refuses and sends nothing.
    const before = await staffMessageCount(leadId);
    await page
      .locator("[data-test=reply-form] [disabled]")
      .evaluateAll((els) => els.forEach((el) => el.removeAttribute("disabled")));
    const inbox = new InboxPage(page);
    await inbox.typeReply(marker("Are you sure? Great deals this week"));
    await page.locator("[data-test=reply-send]").click();
    await expect(page.locator("[data-test=reply-error]")).toHaveText("This lead has opted out of text messages.");
    expect(await staffMessageCount(leadId)).toBe(before);
  });

  test("'stop' inside a sentence is not an opt-out but flags the conversation", async ({ page }) => {
    const text = marker("Please stop texting me so often, I will call you");
    const leadId = await leadTexts(SENTENCE_LEAD, text);
    await page.goto("/inbox");
    const item = page.locator(`[data-test=conversation-item][data-lead-id="${leadId}"]`);
    await expect(item.locator("[data-test=conversation-attention]")).toBeVisible();
    await expect(item).toHaveAttribute("data-unread", "true");
    await item.locator("a").click();
    await expect(page.locator("[data-test=thread-consent]")).not.toHaveAttribute("data-consent", "opted_out");
    await expect(page.locator("[data-test=thread-message-attention]").last()).toBeVisible();
    await expect(page.locator("[data-test=reply-body]")).toBeEnabled();
  });
});
