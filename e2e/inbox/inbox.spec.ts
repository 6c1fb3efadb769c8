import { expect, test } from "@playwright/test";
import { AuthPage } from "../auth/auth.po";
import { InboxPage, leadTexts, marker, TestPhonePage } from "./inbox.po";

// Demo leads are +1 312 555 01xx; odd ones are unassigned (reps never see them). Each spec uses its own.
const CONVERSATION_LEAD = "+13125550121";
const REP_HIDDEN_LEAD = "+13125550125";

test("the Northside owner and a lead text each other; the reply appears without a reload; Southside never sees it", async ({
  page,
  browser,
}) => {
  await new AuthPage(page).signInAndWaitForDashboard("owner@northside.test");
  const inbox = new InboxPage(page);
  const leadId = await inbox.openThreadByPhone(CONVERSATION_LEAD);
  await expect(page.locator("[data-test=thread-consent]")).toContainText("SMS consent");

  // The segment counter names the character that forces UCS-2.
  await inbox.typeReply("Thanks ✓");
  await expect(page.locator("[data-test=reply-segments]")).toHaveAttribute("data-encoding", "UCS-2");
  await expect(page.locator("[data-test=reply-ucs2-warning]")).toContainText("“✓”");

  const ours = marker("Hi from Northside Motors! Still looking for a truck?");
  await inbox.sendReply(ours);
  await expect(inbox.message(ours).locator("[data-test=thread-message-status]")).toHaveText("delivered", {
    timeout: 15_000,
  });

  // The lead answers from the test phone, in another tab; the inbox tab is never reloaded.
  const phone = new TestPhonePage(await page.context().newPage());
  await phone.open(CONVERSATION_LEAD);
  await expect(phone.message(ours)).toBeVisible();
  const theirs = marker("Yes! Can I come by Saturday at 10?");
  await phone.reply(theirs);
  await page.bringToFront();
  await expect(inbox.message(theirs)).toBeVisible({ timeout: 15_000 });
  await expect(inbox.message(theirs)).toHaveAttribute("data-direction", "inbound");
  await expect(inbox.conversation(leadId).locator("[data-test=conversation-preview]")).toContainText(theirs);

  // Southside: the thread is a 404 by page and by API, and its inbox shows nothing of it.
  const southside = await browser.newContext();
  const other = await southside.newPage();
  await new AuthPage(other).signInAndWaitForDashboard("owner@southside.test");
  expect((await other.goto(`/inbox/${leadId}`))?.status()).toBe(404);
  await expect(other.locator("[data-test=thread-header]")).toHaveCount(0);
  expect((await other.request.get(`/api/inbox/conversations/${leadId}`)).status()).toBe(404);
  expect((await other.request.get(`/api/inbox/changes?lead=${leadId}`)).status()).toBe(404);
  await other.goto("/inbox");
  await expect(other.locator("[data-test=inbox]")).toBeVisible();
  await expect(other.locator("body")).not.toContainText(theirs);
  await expect(other.locator(`[data-test=conversation-item][data-lead-id="${leadId}"]`)).toHaveCount(0);
  await southside.close();
});

test("a rep sees only the conversations of leads assigned to them", async ({ page }) => {
  const text = marker("Is the Camry still for sale?");
  const leadId = await leadTexts(REP_HIDDEN_LEAD, text);
  await new AuthPage(page).signInAndWaitForDashboard("rep@northside.test");
  await page.goto("/inbox");
  await expect(page.locator("[data-test=inbox]")).toBeVisible();
  await expect(page.locator(`[data-test=conversation-item][data-lead-id="${leadId}"]`)).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(text);
  expect((await page.goto(`/inbox/${leadId}`))?.status()).toBe(404);
  expect((await page.request.get(`/api/inbox/conversations/${leadId}`)).status()).toBe(404);
});
