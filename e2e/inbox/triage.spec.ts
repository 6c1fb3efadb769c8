import { expect, test } from "@playwright/test";
import { AuthPage } from "../auth/auth.po";
import { InboxPage, marker, TestPhonePage } from "./inbox.po";

// This spec's own demo leads (each spec texts from numbers no other spec uses).
const QUESTION_LEAD = "+13125550133";
const LATER_LEAD = "+13125550135";

test("a reply from the test phone lands in the inbox sorted under its intent, with a suggested answer", async ({
  page,
}) => {
  await new AuthPage(page).signInAndWaitForDashboard("owner@northside.test");

  // The lead asks a question from the local test phone (a signed webhook to the real route).
  const phone = new TestPhonePage(await page.context().newPage());
  await phone.open(QUESTION_LEAD);
  const question = marker("what's the monthly on the Tahoe?");
  await phone.reply(question);

  // The "needs a person" queue holds it, labelled with its intent; "Not now" does not.
  await page.bringToFront();
  await page.goto("/inbox?show=needs_person");
  const row = page.locator("[data-test=conversation-item]").filter({ hasText: question });
  await expect(row).toBeVisible();
  await expect(row.locator("[data-test=conversation-intent]")).toHaveAttribute("data-intent", "question");
  await page.goto("/inbox?show=not_now");
  await expect(page.locator("[data-test=conversation-item]").filter({ hasText: question })).toHaveCount(0);

  // Filtering through the form keeps the filter in the URL and on the thread's links.
  await page.goto("/inbox");
  await page.locator("[data-test=intent-filter-show]").selectOption("question");
  await page.locator("[data-test=intent-filter-apply]").click();
  await expect(page).toHaveURL(/[?&]show=question/);
  await page.locator("[data-test=conversation-item]").filter({ hasText: question }).locator("a").click();

  // The thread shows the intent on the message and suggests an answer that staff edit and send.
  const inbox = new InboxPage(page);
  await expect(inbox.message(question).locator("[data-test=thread-message-intent]")).toHaveAttribute(
    "data-intent",
    "question",
  );
  await expect(page.locator("[data-test=suggested-reply-text]")).toContainText("Good question");
  await page.locator("[data-test=use-suggested-reply]").click();
  await expect(page.locator("[data-test=reply-body]")).toHaveValue(/Good question/);

  // One click corrects the intent; the suggestion follows.
  await inbox.message(question).locator("[data-test=intent-correction] summary").click();
  await inbox.message(question).locator('[data-test=intent-correct-to][data-intent="call_me"]').click();
  await expect(inbox.message(question).locator("[data-test=thread-message-intent]")).toHaveAttribute(
    "data-intent",
    "call_me",
  );
  await expect(page.locator("[data-test=suggested-reply-text]")).toContainText("will call you");
});

test("a later time becomes the lead's follow-up date", async ({ page }) => {
  await new AuthPage(page).signInAndWaitForDashboard("owner@northside.test");
  const phone = new TestPhonePage(page);
  await phone.open(LATER_LEAD);
  const later = marker("not right now, check back with me in March");
  await phone.reply(later);

  await page.goto("/inbox?show=not_now");
  await page.locator("[data-test=conversation-item]").filter({ hasText: later }).locator("a").click();
  const inbox = new InboxPage(page);
  await expect(inbox.message(later).locator("[data-test=thread-message-date]")).toContainText("Mar 1");
  await expect(page.locator("[data-test=thread-follow-up]")).toContainText("Mar 1");
  await expect(page.locator("[data-test=suggested-reply-text]")).toContainText("check back");
});
