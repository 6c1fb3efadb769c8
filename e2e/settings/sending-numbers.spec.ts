import { expect, test } from "@playwright/test";
import { AuthPage } from "../auth/auth.po";

// A spare number of the emulated platform Twilio account (local-stack/twilio/owned-inventory.ts).
const NORTHSIDE_SPARE = "+13125550001";

test("an owner adds only numbers the platform's Twilio account owns, never one another dealership uses", async ({
  page,
}) => {
  await new AuthPage(page).signInAndWaitForDashboard("owner@northside.test");
  await page.goto("/settings");
  await expect(page.locator("[data-test=inbound-webhook-url]")).toContainText("/api/twilio/inbound#rc=");
  const form = page.locator("[data-test=sending-number-form]");

  // Not in the platform's account: refused with a reason, and the typed number stays to correct.
  await form.locator("[data-test=sending-number-address]").fill("(312) 555-6543");
  await form.locator("[data-test=sending-number-add]").click();
  await expect(form.locator("[data-test=sending-number-error]")).toContainText(
    "not a number of this platform's Twilio account",
  );
  await expect(form.locator("[data-test=sending-number-address]")).toHaveValue("(312) 555-6543");

  // Southside's number: already registered by another dealership.
  await form.locator("[data-test=sending-number-address]").fill("(773) 555-0000");
  await form.locator("[data-test=sending-number-add]").click();
  await expect(form.locator("[data-test=sending-number-error]")).toContainText("already registered");

  // An owned spare is added, then removed again.
  await form.locator("[data-test=sending-number-address]").fill(NORTHSIDE_SPARE);
  await form.locator("[data-test=sending-number-label]").fill("Spare line");
  await form.locator("[data-test=sending-number-add]").click();
  await expect(form.locator("[data-test=sending-number-added]")).toBeVisible();
  const row = page.locator("[data-test=sending-number-row]").filter({ hasText: "Spare line" });
  await expect(row).toHaveCount(1);
  await row.locator("[data-test=sending-number-remove]").click();
  await expect(row).toHaveCount(0);
});
