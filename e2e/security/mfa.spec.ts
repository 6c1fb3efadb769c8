import { expect, test } from "@playwright/test";
import { generateSync } from "otplib";
import { expectNoViolations } from "../accessibility/axe";
import { addMember, createSpecDealership, expireStepUp, signIn } from "../team/team.po";

test("a member enrolls TOTP, then signs in with a code; sensitive changes ask for a fresh code", async ({
  browser,
  page,
}) => {
  test.slow();
  const dealership = await createSpecDealership("MFA Motors");
  const owner = dealership.ownerEmail;
  await signIn(page, owner);
  await expect(page.locator("[data-test=dashboard-title]")).toBeVisible();

  // Enrol: QR code rendered by our server (an SVG data URL), the key, and the first code.
  await page.goto("/settings/security");
  await page.locator("[data-test=mfa-start]").click();
  await expect(page.locator("[data-test=mfa-qr]")).toHaveAttribute("src", /^data:image\/svg\+xml;base64,/);
  const secret = (await page.locator("[data-test=mfa-secret]").textContent())!.trim();
  await expectNoViolations(page, "the authenticator setup");
  await page.locator("[data-test=mfa-code]").fill("000000");
  await page.locator("[data-test=mfa-confirm]").click();
  await expect(page.locator("[data-test=mfa-error]")).toContainText("not right");
  await page.locator("[data-test=mfa-code]").fill(generateSync({ secret }));
  await page.locator("[data-test=mfa-confirm]").click();
  await expect(page.locator("[data-test=mfa-on]")).toBeVisible();

  // Signing in now takes the password, then a code.
  await page.goto("/dashboard");
  await page.locator("[data-test=sign-out]").click();
  // The sign-out (recorded in the audit log first) must finish before the next page is opened.
  await expect(page).toHaveURL(/\/login$/);
  await signIn(page, owner);
  await expect(page).toHaveURL(/\/login\/mfa/);
  // Until the code, nothing of the dealership is reachable.
  await page.goto("/leads");
  await expect(page).toHaveURL(/\/login\/mfa/);
  expect((await page.request.get("/api/me")).status()).toBe(401);
  await expectNoViolations(page, "/login/mfa");
  await page.locator("[data-test=mfa-login-code]").fill("123456");
  await page.locator("[data-test=mfa-login-submit]").click();
  await expect(page.locator("[data-test=mfa-login-error]")).toContainText("not right");
  await page.locator("[data-test=mfa-login-code]").fill(generateSync({ secret }));
  await page.locator("[data-test=mfa-login-submit]").click();
  await expect(page.locator("[data-test=leads-table], [data-test=dashboard-title]").first()).toBeVisible();

  // Step-up with a second factor asks for a code, not the password: require MFA for everyone.
  await expireStepUp(owner);
  await page.goto("/settings/security");
  await page.locator("[data-test=require-mfa-toggle]").click();
  const dialog = page.locator("dialog[open][data-test=reauth-dialog]");
  await expect(dialog.locator("[data-test=reauth-code]")).toBeVisible();
  await expectNoViolations(page, "the step-up dialog");
  await dialog.locator("[data-test=reauth-code]").fill(generateSync({ secret }));
  await dialog.locator("[data-test=reauth-submit]").click();
  await expect(page.locator("[data-test=require-mfa-state]")).toHaveText("Required for everyone.");

  // A member without a second factor is sent to set one up before anything else.
  const rep = await addMember(dealership.id, "rep", "rep");
  const repContext = await browser.newContext();
  const repPage = await repContext.newPage();
  await signIn(repPage, rep);
  await expect(repPage).toHaveURL(/\/settings\/security$/);
  await expect(repPage.locator("[data-test=mfa-required-note]")).toBeVisible();
  await repPage.goto("/leads");
  await expect(repPage).toHaveURL(/\/settings\/security$/);
  await repContext.close();
});
