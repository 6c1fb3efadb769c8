import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import Papa from "papaparse";
import { ImportPage } from "../import/import.po";
import { createSpecDealership, expireStepUp, signIn, SPEC_PASSWORD } from "../team/team.po";

// The CRM's own column names, and phones no other spec uses (Lakeview's 630-555-04xx block).
const CRM_CSV = [
  "Lead ID,Customer First,Customer Last,Cell Phone,Email Address,Model Year",
  "VS-0401,Orla,Outcome,(630) 555-0401,orla.outcome@example.com,2020",
  "VS-0402,Otto,Outcome,(630) 555-0402,,2018",
].join("\r\n");

test("an owner imports with the CRM's headers, then downloads the outcomes under the same headers", async ({
  page,
}) => {
  test.slow();
  const dealership = await createSpecDealership("Outcome Motors");
  await signIn(page, dealership.ownerEmail);
  await expect(page.locator("[data-test=dashboard-title]")).toBeVisible();

  const importer = new ImportPage(page);
  await importer.open();
  await importer.upload("crm-report.csv", CRM_CSV);
  await expect(importer.review()).toBeVisible();
  await importer.start();
  await expect(page.locator("[data-test=import-summary]")).toBeVisible({ timeout: 30_000 });
  await expect(importer.count("imported")).toHaveText("2");
  // The "Lead ID" column was mapped to the CRM id by itself; the lead page shows it (read-only).
  await page.goto("/leads");
  await page.locator("[data-test=lead-row]").getByRole("link", { name: "Orla Outcome" }).click();
  await expect(page.locator("[data-test=lead-crm-id]")).toHaveText("VS-0401");

  await expireStepUp(dealership.ownerEmail);
  await page.goto("/settings/data");
  await expect(page.locator("[data-test=outcome-mapping]")).toBeVisible();
  await page.locator("[data-test=outcome-download]").click();
  // Not re-authenticated in the last 5 minutes: the password first, then the download starts.
  const dialog = page.locator("[data-test=outcome-export] [data-test=reauth-dialog]");
  await expect(dialog).toBeVisible();
  await dialog.locator("[data-test=reauth-password]").fill(SPEC_PASSWORD);
  const downloading = page.waitForEvent("download");
  await dialog.locator("[data-test=reauth-submit]").click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^refireleads-outcomes-\d{4}-\d\d-\d\d\.csv$/);
  await expect(page.locator("[data-test=outcome-status]")).toContainText("Done");
  expect(page.url()).toMatch(/\/settings\/data$/);

  const csv = await readFile((await download.path())!, "utf8");
  expect(csv.startsWith("\uFEFF")).toBe(true);
  const parsed = Papa.parse<Record<string, string>>(csv.slice(1), { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  // The CRM's record id first, under its own header: what the CRM's importer matches rows on.
  expect(parsed.meta.fields!.slice(0, 6)).toEqual([
    "Lead ID",
    "Customer First",
    "Customer Last",
    "Cell Phone",
    "Email Address",
    "Model Year",
  ]);
  const orla = parsed.data.find((r) => r["Customer First"] === "Orla")!;
  expect(orla).toMatchObject({
    "Lead ID": "VS-0401",
    "Customer Last": "Outcome",
    "Cell Phone": "+16305550401",
    "Email Address": "orla.outcome@example.com",
    "Model Year": "2020",
    "Outcome status": "new",
    "Opted out": "no",
  });
  expect(parsed.data).toHaveLength(2);
});
