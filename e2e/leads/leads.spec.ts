import { expect, test } from "@playwright/test";
import { AuthPage } from "../auth/auth.po";

test.describe("leads workspace", () => {
  test("filter, search by exact phone, edit, and keep typed input on an error", async ({ page }) => {
    await new AuthPage(page).signInAndWaitForDashboard("manager@northside.test");
    await page.goto("/leads?status=sold");
    const rows = page.locator("[data-test=lead-row]");
    await expect(rows.first()).toBeVisible();
    for (const status of await rows.locator("td:nth-child(4)").allTextContents()) expect(status).toBe("sold");
    expect(page.url()).not.toMatch(/555|@/);

    // A source is filtered by its opaque id: its label (file text) never reaches the URL.
    const source = page.locator("[data-test=lead-filter-source]");
    const label = (await source.locator("option").nth(1).textContent())!;
    await source.selectOption({ index: 1 });
    await page.locator("[data-test=lead-filters-apply]").click();
    await expect(page).toHaveURL(/source=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    expect(decodeURIComponent(page.url())).not.toContain(label);
    for (const shown of await rows.locator("td:nth-child(6)").allTextContents()) expect(shown).toBe(label);
    await page.goto("/leads?status=sold");

    await page.locator("[data-test=lead-search-input]").fill("312-555-0142");
    await page.locator("[data-test=lead-search-submit]").click();
    await expect(page.locator("[data-test=lead-search-hit]")).toHaveCount(1);
    expect(page.url()).not.toContain("555");
    await page.locator("[data-test=lead-search-hit] a").click();

    await page.locator("[data-test=lead-vehicleTrim]").fill("Limited");
    await page.locator("[data-test=lead-phone]").fill("12");
    await page.locator("[data-test=lead-save]").click();
    await expect(page.locator("[data-test=lead-error]")).toBeVisible();
    await expect(page.locator("[data-test=lead-phone]")).toHaveValue("12");
    await expect(page.locator("[data-test=lead-vehicleTrim]")).toHaveValue("Limited");

    await page.locator("[data-test=lead-phone]").fill("(312) 555-0142");
    await page.locator("[data-test=lead-save]").click();
    await expect(page.locator("[data-test=lead-saved]")).toHaveText("Saved.");
    await page.reload();
    await expect(page.locator("[data-test=lead-vehicleTrim]")).toHaveValue("Limited");
  });
});
