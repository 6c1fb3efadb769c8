import { expect, test } from "@playwright/test";
import { createSpecDealership, mailboxLink, signIn, SPEC_PASSWORD } from "../team/team.po";

const NEW_PASSWORD = "a brand new password 42";

test("forgot password: the reset e-mail in the local mailbox sets a new password and ends other sessions", async ({
  browser,
  page,
}) => {
  const { ownerEmail } = await createSpecDealership("Reset Motors");
  // Signed in elsewhere with the old password.
  const oldContext = await browser.newContext();
  const old = await oldContext.newPage();
  await signIn(old, ownerEmail);
  await expect(old.locator("[data-test=dashboard-title]")).toBeVisible();

  await page.goto("/login");
  await page.locator("[data-test=forgot-link]").click();
  await page.locator("[data-test=forgot-email]").fill(ownerEmail);
  await page.locator("[data-test=forgot-submit]").click();
  await expect(page.locator("[data-test=forgot-sent]")).toBeVisible();
  // An unknown address gets the very same answer.
  await page.goto("/login/forgot");
  await page.locator("[data-test=forgot-email]").fill("nobody-at-all@team-spec.test");
  await page.locator("[data-test=forgot-submit]").click();
  await expect(page.locator("[data-test=forgot-sent]")).toBeVisible();

  await page.goto(await mailboxLink(ownerEmail, "recovery"));
  await page.locator("[data-test=confirm-link-continue]").click();
  await expect(page).toHaveURL(/\/reset-password$/);
  await page.locator("[data-test=reset-password]").fill(NEW_PASSWORD);
  await page.locator("[data-test=reset-password-confirm]").fill("something else entirely");
  await page.locator("[data-test=reset-submit]").click();
  await expect(page.locator("[data-test=reset-form]")).toContainText("The two passwords differ.");
  // React clears a refused password form; both fields are typed again.
  await page.locator("[data-test=reset-password]").fill(NEW_PASSWORD);
  await page.locator("[data-test=reset-password-confirm]").fill(NEW_PASSWORD);
  await page.locator("[data-test=reset-submit]").click();
  await expect(page.locator("[data-test=dashboard-title]")).toBeVisible();

  // The other device is signed out; the old password no longer works, the new one does.
  await old.goto("/leads");
  await expect(old).toHaveURL(/\/login/);
  await oldContext.close();
  await page.locator("[data-test=sign-out]").click();
  // The sign-out (recorded in the audit log first) must finish before the next page is opened.
  await expect(page).toHaveURL(/\/login$/);
  await signIn(page, ownerEmail, SPEC_PASSWORD);
  await expect(page.locator("[data-test=login-error]")).toBeVisible();
  await signIn(page, ownerEmail, NEW_PASSWORD);
  await expect(page.locator("[data-test=dashboard-title]")).toBeVisible();
});
