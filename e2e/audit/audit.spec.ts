import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { createSpecDealership, signIn } from "../team/team.po";

test("an owner filters the audit log, pages, sees bad filters refused, and downloads the filtered log", async ({
  page,
}) => {
  const dealership = await createSpecDealership("Audit Motors");
  await signIn(page, dealership.ownerEmail);
  await expect(page.locator("[data-test=dashboard-title]")).toBeVisible();

  await page.goto("/audit");
  // The sign-in itself is in the log.
  await expect(page.locator("[data-test=audit-row]").filter({ hasText: "auth.signed_in" })).toHaveCount(1);

  await page.locator("[data-test=audit-filter-action]").selectOption("auth.*");
  await page.locator("[data-test=audit-filter-actor]").selectOption({ label: "System (no person)" });
  await page.locator("[data-test=audit-filter-apply]").click();
  await expect(page).toHaveURL(/\/audit\?actor=system&action=auth\.\*/);
  await expect(page.locator("[data-test=audit-empty]")).toBeVisible();

  // A person by id: the URL carries the id, never the e-mail.
  await page.locator("[data-test=audit-filter-actor]").selectOption({ index: 2 });
  await page.locator("[data-test=audit-filter-apply]").click();
  await expect(page.locator("[data-test=audit-row]").first()).toContainText("auth.signed_in");
  expect(page.url()).toMatch(/actor=[0-9a-f-]{36}/);
  expect(page.url()).not.toContain("@");

  const downloading = page.waitForEvent("download");
  await page.locator("[data-test=audit-export]").click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^refireleads-audit-log-\d{4}-\d\d-\d\d\.csv$/);
  const csv = await readFile((await download.path())!, "utf8");
  expect(csv.startsWith("\uFEFFposition,created_at_utc,")).toBe(true);
  expect(csv).toContain("auth.signed_in");
  expect(csv).not.toContain("dealership.switched");

  await page.goto("/audit?from=2026-02-30&to=yesterday");
  await expect(page.locator("[data-test=audit-filter-error]")).toContainText("From is not a real date.");
  await expect(page.locator("[data-test=audit-filter-error]")).toContainText("To must be a date (YYYY-MM-DD).");
  await expect(page.locator("[data-test=audit-table]")).toHaveCount(0);
});
