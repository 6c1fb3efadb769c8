import { expect, test } from "@playwright/test";
import { generateSync } from "otplib";
import { testOwnedNumbers } from "../../local-stack/twilio/owned-inventory";
import { AuthPage, enterSignInCode } from "../auth/auth.po";
import { SPEC_PASSWORD } from "../team/team.po";
import { createSpecOperator } from "./operator.po";

/**
 * The operator console: operators only (a dealership owner gets 403), and only with a second
 * factor (an operator with a password alone is sent to set one up, and nothing of the console
 * opens until then), aggregates without personal data, a suspend/resume round trip that the
 * database audits, and assigning/releasing numbers.
 */
test("a dealership owner cannot open the operator console", async ({ page }) => {
  await new AuthPage(page).signInAndWaitForDashboard("owner@southside.test");
  await page.goto("/operator");
  await expect(page.locator("[data-test=forbidden]")).toBeVisible();
});

test("an operator sees aggregates only and can approve, suspend and resume a dealership", async ({ page }) => {
  await new AuthPage(page).signInAsOperator();
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
  await new AuthPage(page).signInAsOperator();
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

test("an operator without a second factor must set one up before the console opens; then signing in asks for a code", async ({
  page,
}) => {
  test.slow();
  const operator = await createSpecOperator({ secondFactor: false });
  const auth = new AuthPage(page);
  await auth.signIn(operator.email, SPEC_PASSWORD);
  await expect(page).toHaveURL(/\/operator\/security$/);
  await expect(page.locator("[data-test=operator-mfa-required-note]")).toBeVisible();
  // Nothing of the console or of support access opens with a password alone.
  for (const path of ["/operator", "/operator/support"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/operator\/security$/);
  }
  await expect(page.locator("[data-test=operator-dealerships]")).toHaveCount(0);

  // Set up the authenticator (a password sign-in a moment ago is the fresh proof it asks for).
  await page.locator("[data-test=mfa-start]").click();
  const secret = (await page.locator("[data-test=mfa-secret]").textContent())!.trim();
  await page.locator("[data-test=mfa-code]").fill(generateSync({ secret }));
  await page.locator("[data-test=mfa-confirm]").click();
  await expect(page.locator("[data-test=mfa-on]")).toBeVisible();
  // Operators keep it: there is no way to turn it off here.
  await expect(page.locator("[data-test=mfa-remove]")).toHaveCount(0);
  await page.locator("[data-test=operator-console-link]").click();
  await expect(page).toHaveURL(/\/operator$/);
  await expect(page.locator("[data-test=operator-dealership]").first()).toBeVisible();

  // Next time, the password is not enough: the code is asked for before the console.
  await page.context().clearCookies();
  await auth.signIn(operator.email, SPEC_PASSWORD);
  await expect(page).toHaveURL(/\/login\/mfa/);
  await page.goto("/operator");
  await expect(page).toHaveURL(/\/login\/mfa/);
  await enterSignInCode(page, secret);
  await expect(page).toHaveURL(/\/operator$/);
});
