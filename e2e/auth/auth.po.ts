import { expect, type Page } from "@playwright/test";
import { generateSync } from "otplib";
import { LOCAL_SECRETS } from "../../local-stack/config";
import { DEMO_OPERATOR_EMAIL } from "../../local-stack/seed/demo";

export const DEMO_PASSWORD = "northside-demo-password";

/**
 * Finish signing in at /login/mfa with the current code of the authenticator whose key is `secret`
 * (computed with otplib, as the user's app would).
 */
export async function enterSignInCode(page: Page, secret: string) {
  await expect(page).toHaveURL(/\/login\/mfa/);
  await page.locator("[data-test=mfa-login-code]").fill(generateSync({ secret }));
  await page.locator("[data-test=mfa-login-submit]").click();
}

/** Page object for sign-in and sign-out. */
export class AuthPage {
  constructor(private readonly page: Page) {}

  async signIn(email: string, password = DEMO_PASSWORD, path = "/login") {
    await this.page.goto(path);
    await this.page.locator("[data-test=login-email]").fill(email);
    await this.page.locator("[data-test=login-password]").fill(password);
    await this.page.locator("[data-test=login-submit]").click();
  }

  /**
   * Sign in as a platform operator: the password, then a code (operators need a second factor; the
   * demo operator's key is LOCAL_SECRETS.demoOperatorTotpSecret). Lands on the operator console.
   */
  async signInAsOperator(email = DEMO_OPERATOR_EMAIL, secret: string = LOCAL_SECRETS.demoOperatorTotpSecret) {
    await this.signIn(email);
    await enterSignInCode(this.page, secret);
    await expect(this.page).toHaveURL(/\/operator$/);
  }

  async signInAndWaitForDashboard(email: string) {
    await this.signIn(email);
    await expect(this.page.locator("[data-test=dashboard-title]")).toBeVisible();
  }

  async signOut() {
    await this.page.locator("[data-test=sign-out]").click();
    await expect(this.page).toHaveURL(/\/login$/);
  }
}
