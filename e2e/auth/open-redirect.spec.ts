import { expect, test, type Page } from "@playwright/test";
import { HOSTILE_NEXT_VALUES } from "../../lib/auth/testing/hostile-next-values";
import { AuthPage, DEMO_PASSWORD } from "./auth.po";

/** The origin a Location header leads to, resolved the way a browser would. */
const target = (location: string, base: string) => new URL(location, base);

async function signedInPage(page: Page) {
  await new AuthPage(page).signInAndWaitForDashboard("rep@northside.test");
}

test.describe("next= never leads off the site", () => {
  test("a signed-in visit to /login?next=<hostile> redirects only to a same-origin path", async ({ page, baseURL }) => {
    await signedInPage(page);
    for (const value of HOSTILE_NEXT_VALUES) {
      const res = await page.request.get(`/login?next=${encodeURIComponent(value)}`, { maxRedirects: 0 });
      expect(res.status(), value).toBe(307);
      const location = res.headers()["location"] ?? "";
      expect(location, value).not.toMatch(/^\s*[\\/]{2}|^\s*\/[\\]|^[a-z][a-z0-9+.-]*:/i);
      expect(target(location, baseURL!).origin, value).toBe(new URL(baseURL!).origin);
      expect(target(location, baseURL!).pathname, value).toBe("/dashboard");
    }
  });

  for (const value of HOSTILE_NEXT_VALUES) {
    test(`the sign-in action with next=${JSON.stringify(value)} lands on this site`, async ({ page, baseURL }) => {
      await page.goto("/login");
      await page.locator("[data-test=login-email]").fill("rep@northside.test");
      await page.locator("[data-test=login-password]").fill(DEMO_PASSWORD);
      // The page cleans next= itself; post the raw value so the action's own check is what is tested.
      await page.locator("form").evaluate((form, v) => {
        let input = form.querySelector<HTMLInputElement>("input[name=next]");
        if (!input) {
          input = document.createElement("input");
          input.type = "hidden";
          input.name = "next";
          form.appendChild(input);
        }
        input.value = v;
      }, value);
      await page.locator("[data-test=login-submit]").click();
      await expect(page.locator("[data-test=dashboard-title]")).toBeVisible();
      expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
      expect(new URL(page.url()).pathname).toBe("/dashboard");
    });
  }
});
