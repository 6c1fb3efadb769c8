import { expect, test } from "@playwright/test";
import { AuthPage } from "../auth/auth.po";

test("numbers added to the do-not-contact list are listed, invalid ones explained, and the change audited", async ({
  page,
}) => {
  await new AuthPage(page).signInAndWaitForDashboard("owner@southside.test");
  await page.goto("/leads/do-not-contact");
  await page.locator("[data-test=dnc-numbers]").fill("(773) 555-0990\n773.555.0991, 12");
  await page.locator("[data-test=dnc-add]").click();
  await expect(page.locator("[data-test=dnc-result]")).toContainText("Added 2");
  await expect(page.locator("[data-test=dnc-result]")).toContainText("1 not read");
  await expect(page.locator("[data-test=dnc-row]").filter({ hasText: "(773) 555-0990" })).toHaveCount(1);
  await page.goto("/audit");
  await expect(page.locator("[data-test=audit-row]").filter({ hasText: "do_not_contact.added" }).first()).toBeVisible();
});
