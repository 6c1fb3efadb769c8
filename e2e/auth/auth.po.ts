import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "northside-demo-password";

/** Page object for sign-in and sign-out. */
export class AuthPage {
  constructor(private readonly page: Page) {}

  async signIn(email: string, password = DEMO_PASSWORD, path = "/login") {
    await this.page.goto(path);
    await this.page.locator("[data-test=login-email]").fill(email);
    await this.page.locator("[data-test=login-password]").fill(password);
    await this.page.locator("[data-test=login-submit]").click();
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
