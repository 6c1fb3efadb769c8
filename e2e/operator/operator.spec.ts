import { expect, test } from "@playwright/test";
import { AuthPage } from "../auth/auth.po";

/**
 * The operator console: operators only (a dealership owner gets 403), aggregates without personal
 * data, and a suspend/resume round trip that the database audits.
 */
test("a dealership owner cannot open the operator console", async ({ page }) => {
  await new AuthPage(page).signInAndWaitForDashboard("owner@southside.test");
  await page.goto("/operator");
  await expect(page.locator("[data-test=forbidden]")).toBeVisible();
});

test("an operator sees aggregates only and can approve, suspend and resume a dealership", async ({ page }) => {
  await new AuthPage(page).signIn("operator@platform.test");
  await expect(page).toHaveURL(/\/operator$/);
  // The seeded pending dealership (no other spec uses it), so other specs' sending is never paused.
  const row = page.locator("[data-test=operator-dealership]", { hasText: "Lakeside Motors" });
  await expect(page.locator("[data-test=operator-dealership]", { hasText: "Southside Auto" })).toBeVisible();
  // No member e-mail of the demo data on the page.
  await expect(page.locator("body")).not.toContainText("@southside.test");
  if ((await row.locator("[data-test=operator-status]").textContent()) === "pending") {
    await row.locator("[data-test=operator-approve]").click();
    await expect(row.locator("[data-test=operator-status]")).toHaveText("active");
  }
  await row.locator("[data-test=operator-suspend]").click();
  await expect(row.locator("[data-test=operator-status]")).toHaveText("suspended");
  await row.locator("[data-test=operator-resume]").click();
  await expect(row.locator("[data-test=operator-status]")).toHaveText("active");
});
