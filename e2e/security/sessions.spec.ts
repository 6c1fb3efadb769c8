import { expect, test } from "@playwright/test";
import { createSpecDealership, signIn } from "../team/team.po";

test("the session list names each device; one can be signed out (audited), then every one", async ({
  browser,
  page,
}) => {
  const { ownerEmail } = await createSpecDealership("Session Motors");
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await signIn(other, ownerEmail);
  await expect(other.locator("[data-test=dashboard-title]")).toBeVisible();
  await signIn(page, ownerEmail);
  await expect(page.locator("[data-test=dashboard-title]")).toBeVisible();

  await page.goto("/settings/security");
  const rows = page.locator("[data-test=session-row]");
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText("Chrome on Linux");
  await expect(page.locator("[data-test=session-current]")).toHaveCount(1);

  // Sign out the other device: its next request fails.
  await rows.locator("[data-test=session-revoke]").click();
  await expect(rows).toHaveCount(1);
  await other.goto("/leads");
  await expect(other).toHaveURL(/\/login/);
  // The owner finds it in the audit log, as a sign-out of one other session.
  await page.goto("/audit?action=auth.signed_out");
  await expect(page.locator("[data-test=audit-row]").filter({ hasText: '"scope":"other_session"' })).toHaveCount(1);

  // Sign out everywhere: this device and the other (signed in again) both end.
  await signIn(other, ownerEmail);
  await expect(other.locator("[data-test=dashboard-title]")).toBeVisible();
  await page.goto("/settings/security");
  await page.locator("[data-test=sign-out-everywhere]").click();
  await expect(page).toHaveURL(/\/login$/);
  expect((await other.request.get("/api/me")).status()).toBe(401);
  await otherContext.close();
});
