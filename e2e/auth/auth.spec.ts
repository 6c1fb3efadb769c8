import { expect, test } from "@playwright/test";
import { AuthPage } from "./auth.po";

test.describe("sign in and out", () => {
  test("a signed-out visitor is sent to /login and comes back after signing in", async ({ page }) => {
    await page.goto("/leads");
    await expect(page).toHaveURL(/\/login\?next=%2Fleads$/);
    const auth = new AuthPage(page);
    await page.locator("[data-test=login-email]").fill("rep@northside.test");
    await page.locator("[data-test=login-password]").fill("northside-demo-password");
    await page.locator("[data-test=login-submit]").click();
    await expect(page).toHaveURL(/\/leads$/);
    await expect(page.locator("[data-test=lead-row]").first()).toBeVisible();
    await auth.signOut();
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login/);
  });

  test("a wrong password is refused with a clear message", async ({ page }) => {
    const auth = new AuthPage(page);
    await auth.signIn("rep@southside.test", "not-the-password");
    await expect(page.locator("[data-test=login-error]")).toHaveText(/^Invalid e-mail or password\./);
    await expect(page).toHaveURL(/\/login/);
  });

  test("next= never leads off the site", async ({ page }) => {
    const auth = new AuthPage(page);
    await auth.signIn("rep@northside.test", undefined, "/login?next=//evil.example/phish");
    await expect(page).toHaveURL(/\/dashboard$/);
  });

  test("session cookies are HttpOnly and SameSite=Lax", async ({ page, context }) => {
    await new AuthPage(page).signInAndWaitForDashboard("manager@northside.test");
    const cookies = (await context.cookies()).filter((c) => c.name.includes("rl-session"));
    expect(cookies.length).toBeGreaterThan(0);
    for (const c of cookies) {
      expect(c.httpOnly).toBe(true);
      expect(c.sameSite).toBe("Lax");
    }
    expect(await page.evaluate(() => document.cookie)).not.toContain("rl-session");
  });
});
