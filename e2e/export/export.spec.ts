import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { createSpecDealership, expireStepUp, signIn, SPEC_PASSWORD } from "../team/team.po";
import { unzipText } from "../../lib/export/testing/unzip";

test("an owner re-authenticates, downloads the data export and the ZIP holds every table's CSV", async ({ page }) => {
  test.slow();
  const dealership = await createSpecDealership("Export Motors");
  await signIn(page, dealership.ownerEmail);
  await expect(page.locator("[data-test=dashboard-title]")).toBeVisible();
  await expireStepUp(dealership.ownerEmail);

  await page.goto("/settings");
  await page.locator("[data-test=data-link]").click();
  await expect(page).toHaveURL(/\/settings\/data$/);
  await page.locator("[data-test=export-download]").click();

  // Not re-authenticated in the last 5 minutes: the password first, then the download starts.
  await expect(page.locator("[data-test=reauth-dialog]")).toBeVisible();
  await page.locator("[data-test=reauth-password]").fill(SPEC_PASSWORD);
  const downloading = page.waitForEvent("download");
  await page.locator("[data-test=reauth-submit]").click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^refireleads-export-\d{4}-\d\d-\d\d-csv\.zip$/);
  await expect(page.locator("[data-test=export-status]")).toContainText("Done");
  expect(page.url()).toMatch(/\/settings\/data$/);

  const files = await unzipText(await readFile((await download.path())!));
  for (const name of ["leads.csv", "messages.csv", "team.csv", "audit_events.csv", "do_not_contact.csv"]) {
    expect(files.has(name), name).toBe(true);
    expect(files.get(name)!.startsWith("\uFEFF"), name).toBe(true);
  }
  expect(files.get("team.csv")).toContain(dealership.ownerEmail);
  expect(files.get("audit_events.csv")).toContain("data.exported");
});
