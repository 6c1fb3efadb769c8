import { expect, test } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { AuthPage } from "../auth/auth.po";
import { ImportPage } from "./import.po";

/** A small CRM export with phones no other spec uses (Southside's 773-555-08xx block). */
function crmExport(tag: string, rows: number) {
  const lines = ["First Name,Last Name,Cell Phone,Email Address,Vehicle,Lead Source,Notes"];
  lines.push(`Bad,Phone,555-12,bad@example.com,,Website,`);
  lines.push(`Mallory,"<img src=x onerror=alert(1)>",(773) 555-0899,,,Website,"=HYPERLINK(""http://evil"")"`);
  for (let i = 0; i < rows; i++) {
    lines.push(
      `${tag}${i},Tester,(773) 555-08${String(i).padStart(2, "0")},${tag.toLowerCase()}${i}@example.com,2019 Honda Civic EX,Website,`,
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

test.describe("CSV import", () => {
  test("upload, review the mapping, watch the progress, see the leads, download the rejects", async ({ page }) => {
    await new AuthPage(page).signInAndWaitForDashboard("manager@southside.test");
    const importer = new ImportPage(page);
    await importer.open();
    await importer.upload("crm-export.csv", crmExport("Zed", 30));

    const review = importer.review();
    await expect(review).toBeVisible();
    await expect(review.locator("[data-test=import-mapping-row]")).toHaveCount(7);
    await expect(review.locator("[data-test=import-field-2]")).toHaveValue("mobilePhone");
    await expect(review.locator("[data-test=import-preview-row]").filter({ hasText: "too few digits" })).toHaveCount(1);

    await importer.start();
    await expect(page.locator("[data-test=import-summary]")).toBeVisible({ timeout: 30_000 });
    await expect(importer.count("imported")).toHaveText("31");
    await expect(importer.count("invalid")).toHaveText("1");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator("[data-test=import-download-rejects]").click(),
    ]);
    const rejects = await readFile((await download.path())!, "utf8");
    expect(rejects).toContain("reason");
    expect(rejects).toMatch(/555-12.*too few digits/);

    // The script-looking name is shown as text, never run.
    let dialogs = 0;
    page.on("dialog", () => dialogs++);
    await page.locator("[data-test=import-see-leads]").click();
    await page.locator("[data-test=lead-search-input]").fill("(773) 555-0899");
    await page.locator("[data-test=lead-search-submit]").click();
    const hit = page.locator("[data-test=lead-search-hit]");
    await expect(hit).toContainText("<img src=x onerror=alert(1)>");
    await hit.locator("a").click();
    await expect(page.locator("[data-test=lead-notes]")).toHaveValue('=HYPERLINK("http://evil")');
    expect(dialogs).toBe(0);

    // The same file again creates nothing new, and the saved mapping is offered.
    await importer.open();
    await importer.upload("crm-export.csv", crmExport("Zed", 30));
    await expect(page.locator("[data-test=import-saved-mapping]")).toBeVisible();
    await importer.start();
    await expect(page.locator("[data-test=import-summary]")).toBeVisible({ timeout: 30_000 });
    await expect(importer.count("imported")).toHaveText("0");
    await expect(page.locator("[data-test=import-history-row]").first()).toContainText("completed");
  });

  test("a file that is not a CSV is refused with a clear message", async ({ page }) => {
    await new AuthPage(page).signInAndWaitForDashboard("owner@southside.test");
    const importer = new ImportPage(page);
    await importer.open();
    await importer.upload("leads.csv", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]));
    await expect(importer.error()).toContainText(/Excel|zip|not a CSV/i);
    await expect(importer.review()).toHaveCount(0);
  });

  test("reps cannot import", async ({ page }) => {
    await new AuthPage(page).signInAndWaitForDashboard("rep@southside.test");
    await page.goto("/import");
    await expect(page.locator("[data-test=import-dropzone]")).toHaveCount(0);
    const res = await page.request.post("/api/imports/preview", {
      multipart: { file: { name: "a.csv", mimeType: "text/csv", buffer: Buffer.from("Phone\n3125550100\n") } },
    });
    expect(res.status()).toBe(403);
  });
});
