import { expect, test } from "@playwright/test";
import { AuthPage } from "./auth.po";

test.describe("signing out ends access at once", () => {
  test("the old session cookies no longer open pages or APIs after sign-out", async ({ page, context }) => {
    await new AuthPage(page).signInAndWaitForDashboard("manager@southside.test");
    expect((await page.request.get("/api/me")).status()).toBe(200);
    // An attacker (or a shared computer) kept a copy of the cookies, with an access token that is
    // still valid by signature for up to an hour.
    const stolen = await context.cookies();
    await new AuthPage(page).signOut();

    await context.addCookies(stolen);
    const me = await page.request.get("/api/me");
    expect(me.status()).toBe(401);
    expect(await me.json()).toMatchObject({ error: { code: "unauthenticated" } });
    await page.goto("/leads");
    await expect(page).toHaveURL(/\/login/);
  });
});
