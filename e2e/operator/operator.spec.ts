import { expect, test } from "@playwright/test";
import { testOwnedNumbers } from "../../local-stack/twilio/owned-inventory";
import { AuthPage } from "../auth/auth.po";

/**
 * The operator console: operators only (a dealership owner gets 403), aggregates without personal
 * data, a suspend/resume round trip that the database audits, and assigning/releasing numbers.
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

test("an operator assigns a platform number to a dealership, is refused a taken or foreign one, and releases it", async ({
  page,
}) => {
  // Block 3 of the emulator's owned numbers is this spec's (local-stack/twilio/owned-inventory.ts).
  const number = testOwnedNumbers(3)[0]!;
  await new AuthPage(page).signIn("operator@platform.test");
  await expect(page).toHaveURL(/\/operator$/);
  const lakeside = page.locator("[data-test=operator-dealership]", { hasText: "Lakeside Motors" });
  const southside = page.locator("[data-test=operator-dealership]", { hasText: "Southside Auto" });

  await lakeside.locator("[data-test=operator-assign-input]").fill(`(312) 555-${number.slice(-4)}`);
  await lakeside.locator("[data-test=operator-assign-number]").click();
  await expect(lakeside.locator("[data-test=operator-number]", { hasText: number })).toBeVisible();

  // One dealership at a time: the database refuses it for another (RL095); nothing changes there.
  await southside.locator("[data-test=operator-assign-input]").fill(number);
  await southside.locator("[data-test=operator-assign-number]").click();
  await expect(southside.locator("[data-test=operator-assign-status]")).toContainText("already belongs");
  await expect(southside.locator("[data-test=operator-number]", { hasText: number })).toHaveCount(0);

  // A number the platform's Twilio account does not own is refused before the database.
  await southside.locator("[data-test=operator-assign-input]").fill("+13125559999");
  await southside.locator("[data-test=operator-assign-number]").click();
  await expect(southside.locator("[data-test=operator-assign-status]")).toContainText("not a number of this platform");

  await lakeside.locator("[data-test=operator-number]", { hasText: number }).getByRole("button").click();
  await expect(lakeside.locator("[data-test=operator-number]", { hasText: number })).toHaveCount(0);
});
