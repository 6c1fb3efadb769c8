import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { AuthPage } from "../auth/auth.po";
import { InboxPage, leadTexts, marker, TestPhonePage } from "../inbox/inbox.po";

/**
 * Every page a user reaches, checked by axe-core against WCAG 2.1 A and AA. A page added to the app
 * gets a line here.
 */
const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

// This spec's own demo lead (see inbox.spec.ts: each spec texts from a number no other spec uses).
const A11Y_LEAD = "+13125550131";

async function expectNoViolations(page: Page, name: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  // One readable line per violation and element, so a failure says what to fix where.
  const found = violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(" ")}: ${n.failureSummary}`),
  );
  expect.soft(found, `axe on ${name}`).toEqual([]);
}

test("the sign-in page", async ({ page }) => {
  await page.goto("/login");
  await expect(page.locator("[data-test=login-submit]")).toBeVisible();
  await expectNoViolations(page, "/login");
});

// One sign-in for all pages: sign-ins are rate limited per e-mail (5 a minute), and other specs sign
// in too. Soft assertions, so one run lists the violations of every page.
test("every page a signed-in user reaches", async ({ page }) => {
  test.slow();
  await new AuthPage(page).signInAndWaitForDashboard("admin@group.test");
  const pages: [string, string][] = [
    ["/dashboard", "dashboard-title"],
    ["/leads", "leads-table"],
    ["/import", "import-history"],
    ["/inbox", "inbox"],
    ["/inbox?show=needs_person", "intent-filter"],
    ["/settings", "sending-numbers"],
    ["/settings/replies", "reply-templates"],
    ["/audit", "audit-table"],
    ["/leads/do-not-contact", "dnc-table"],
    ["/campaigns", "not-built-yet"],
  ];
  for (const [path, ready] of pages) {
    await test.step(path, async () => {
      await page.goto(path);
      await expect(page.locator(`[data-test=${ready}]`).first()).toBeVisible();
      await expectNoViolations(page, path);
    });
  }

  const leadId = await leadTexts(A11Y_LEAD, marker("Do you still have the Outback?"));
  await test.step("a lead", async () => {
    await page.goto(`/leads/${leadId}`);
    await expect(page.locator("[data-test=lead-detail]")).toBeVisible();
    await expectNoViolations(page, "a lead");
  });
  await test.step("a thread", async () => {
    // Both sides of a conversation, so the outbound bubble's colours are checked too.
    await page.goto(`/inbox/${leadId}`);
    await new InboxPage(page).sendReply(marker("Yes, come by any time."));
    await expectNoViolations(page, "a thread");
  });
  await test.step("the local test phone", async () => {
    await new TestPhonePage(page).open(A11Y_LEAD);
    await expect(page.locator("[data-test=phone-message]").first()).toBeVisible();
    await expectNoViolations(page, "the local test phone");
  });
});
