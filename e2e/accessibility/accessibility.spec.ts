import { expect, test } from "@playwright/test";
import { AuthPage, enterSignInCode } from "../auth/auth.po";
import { createSpecOperator } from "../operator/operator.po";
import { InboxPage, leadTexts, marker, TestPhonePage } from "../inbox/inbox.po";
import { addSupportRequest, createSupportFixture } from "../support/support.po";
import { createSpecDealership, signIn } from "../team/team.po";
import { expectNoViolations } from "./axe";

/**
 * Every page a user reaches, checked by axe-core against WCAG 2.1 A and AA. A page added to the app
 * gets a line here (pages that need a special state, such as the second sign-in step, are checked
 * in their own spec with the same helper).
 */
// This spec's own demo lead (see inbox.spec.ts: each spec texts from a number no other spec uses).
const A11Y_LEAD = "+13125550131";

test("the sign-in page", async ({ page }) => {
  await page.goto("/login");
  await expect(page.locator("[data-test=login-submit]")).toBeVisible();
  await expectNoViolations(page, "/login");
});

test("the signed-out pages: password reset, expired link, an e-mail link, the local mailbox", async ({ page }) => {
  const pages: [string, string][] = [
    ["/login/forgot", "forgot-form"],
    ["/login/link-expired", "link-expired"],
    [`/auth/confirm?token_hash=${"ab".repeat(28)}&type=invite`, "confirm-link-form"],
    ["/local/mailbox", "mailbox-email"],
  ];
  for (const [path, ready] of pages) {
    await test.step(path, async () => {
      await page.goto(path);
      await expect(page.locator(`[data-test=${ready}], [data-test=mailbox-empty]`).first()).toBeVisible();
      await expectNoViolations(page, path);
    });
  }
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
    ["/audit?action=auth.*&from=2020-01-01", "audit-filters"],
    ["/audit?from=2026-02-30", "audit-filter-error"],
    ["/leads/do-not-contact", "dnc-table"],
    ["/campaigns", "campaigns-table"],
    ["/settings/security", "sessions"],
    ["/settings/data", "data-export"],
    ["/invitations", "no-invitations"],
    ["/reset-password", "reset-form"],
  ];
  for (const [path, ready] of pages) {
    await test.step(path, async () => {
      await page.goto(path);
      await expect(page.locator(`[data-test=${ready}]`).first()).toBeVisible();
      await expectNoViolations(page, path);
    });
  }

  await test.step("a campaign", async () => {
    // The seeded demo campaign: progress, chart, exclusions and replies.
    await page.goto("/campaigns");
    await page.locator("[data-test=campaign-link]").first().click();
    await expect(page.locator("[data-test=campaign-chart]")).toBeVisible();
    await expectNoViolations(page, "a campaign");
  });
  await test.step("the campaign composer", async () => {
    // With a message that has an error, then one with previews and the UCS-2 warning, so every state is checked.
    await page.goto("/campaigns/new");
    await expect(page.locator("[data-test=campaign-eligible]")).toBeVisible();
    await page.locator("[data-test=campaign-template]").fill("Hi {frist_name}");
    await expect(page.locator("[data-test=campaign-template-error]")).toBeVisible();
    await expectNoViolations(page, "the campaign composer (error)");
    await page.locator("[data-test=campaign-template]").fill("Hi {first_name|there} ✓");
    await expect(page.locator("[data-test=campaign-preview]").first()).toBeVisible();
    await expect(page.locator("[data-test=campaign-ucs2-warning]")).toBeVisible();
    await expectNoViolations(page, "the campaign composer (previews)");
  });

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

test("the operator console", async ({ page }) => {
  // The demo operator belongs to no dealership: signing in (password, then a code) lands on
  // /no-dealership, which sends operators here.
  await new AuthPage(page).signInAsOperator();
  await expect(page.locator("[data-test=operator-dealership]").first()).toBeVisible();
  await expectNoViolations(page, "/operator");
});

test("the operator's two-factor setup", async ({ page }) => {
  // An operator of this test's own without a second factor: the console sends it to set one up.
  const operator = await createSpecOperator({ secondFactor: false });
  await signIn(page, operator.email);
  await expect(page).toHaveURL(/\/operator\/security$/);
  await expect(page.locator("[data-test=operator-mfa-required-note]")).toBeVisible();
  await expectNoViolations(page, "/operator/security");
});

test("the page of a closed dealership", async ({ page }) => {
  // A dealership of this spec's own: closing it from Settings (a password sign-in counts as a fresh proof).
  const dealership = await createSpecDealership("Closed A11y Motors");
  await signIn(page, dealership.ownerEmail);
  await expect(page.locator("[data-test=dashboard-title]")).toBeVisible();
  await page.goto("/settings");
  await page.locator("[data-test=close-confirm-name]").fill(dealership.name);
  page.once("dialog", (d) => void d.accept());
  await page.locator("[data-test=close-submit]").click();
  await expect(page).toHaveURL(/\/closed$/);
  await expect(page.locator("[data-test=reopen-submit]")).toBeVisible();
  await expectNoViolations(page, "/closed");
});

test("the support access pages: the operator's, under a grant, and the owner's", async ({ browser }) => {
  test.slow();
  // A dealership and an operator of this test's own, with a live grant and a pending request.
  const fixture = await createSupportFixture("A11y Support Motors");
  await addSupportRequest(fixture, "granted");
  await addSupportRequest(fixture, "pending");
  const operator = await (await browser.newContext()).newPage();
  await signIn(operator, fixture.operatorEmail);
  await enterSignInCode(operator, fixture.operatorSecret);
  await expect(operator).toHaveURL(/\/operator$/);
  const base = `/operator/support/${fixture.id}`;
  const pages: [string, string][] = [
    ["/operator/support", "support-requests"],
    [base, "support-overview"],
    [`${base}/leads`, "support-leads"],
    [`${base}/leads/${fixture.leadId}`, "support-lead"],
    [`${base}/campaigns`, "support-campaigns"],
  ];
  for (const [path, ready] of pages) {
    await test.step(path, async () => {
      await operator.goto(path);
      await expect(operator.locator(`[data-test=${ready}]`).first()).toBeVisible();
      await expectNoViolations(operator, path.replace(fixture.id, "[dealershipId]"));
    });
  }
  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, fixture.ownerEmail);
  await expect(owner.locator("[data-test=support-access-banner]")).toBeVisible();
  await owner.goto("/settings/support");
  await expect(owner.locator("[data-test=support-grant-form]")).toBeVisible();
  await expectNoViolations(owner, "/settings/support");
});
