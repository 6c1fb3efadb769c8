import { randomInt } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { addMember, createSpecDealership, e2eDb, expireStepUp, signIn, SPEC_PASSWORD } from "../team/team.po";
import { unzipText } from "../../lib/export/testing/unzip";

/** A campaign scheduled 10 days ahead (so the worker never sends it), from a sending number of its own. */
async function scheduledCampaign(dealershipId: string, name: string): Promise<string> {
  const sql = e2eDb();
  try {
    const phone = `+1555${String(randomInt(0, 10_000_000)).padStart(7, "0")}`;
    const [n] =
      await sql`insert into public.sending_numbers (dealership_id, phone_number) values (${dealershipId}, ${phone}) returning id`;
    const [c] =
      await sql`insert into public.campaigns (dealership_id, name, sending_number_id, template, status, launched_at, scheduled_at)
      values (${dealershipId}, ${name}, ${n!.id}, 'Hi {first_name|there}', 'scheduled', now(), now() + interval '10 days') returning id`;
    return c!.id as string;
  } finally {
    await sql.end();
  }
}

/** Close the dealership from Settings → Danger zone (the sign-in's password counts as a fresh proof). */
async function closeFromSettings(page: import("@playwright/test").Page, name: string) {
  await page.goto("/settings");
  const danger = page.locator("[data-test=danger-zone]");
  await danger.locator("[data-test=close-confirm-name]").fill(name);
  page.once("dialog", (d) => void d.accept());
  await danger.locator("[data-test=close-submit]").click();
  await expect(page).toHaveURL(/\/closed$/);
}

/** Answer the step-up dialog with the spec password. */
async function reauthenticate(page: import("@playwright/test").Page) {
  const dialog = page.locator("dialog[open][data-test=reauth-dialog]");
  await expect(dialog).toBeVisible();
  await dialog.locator("[data-test=reauth-password]").fill(SPEC_PASSWORD);
  await dialog.locator("[data-test=reauth-submit]").click();
}

test("an owner re-authenticates and closes the dealership, every member lands on the closed page, the owner reopens it", async ({
  page,
  browser,
}) => {
  test.slow();
  const dealership = await createSpecDealership("Closing Motors");
  const repEmail = await addMember(dealership.id, "rep", "closing-rep");
  await signIn(page, dealership.ownerEmail);
  await expect(page.locator("[data-test=dashboard-title]")).toBeVisible();
  await expireStepUp(dealership.ownerEmail);

  await page.goto("/settings");
  const danger = page.locator("[data-test=danger-zone]");
  await expect(danger).toBeVisible();
  // A wrong name is refused and nothing closes (the step-up comes first).
  await danger.locator("[data-test=close-confirm-name]").fill("Not the name");
  page.once("dialog", (d) => void d.accept());
  await danger.locator("[data-test=close-submit]").click();
  await reauthenticate(page);
  await expect(page.locator("[data-test=close-form-error]")).toContainText("name");

  await danger.locator("[data-test=close-confirm-name]").fill(dealership.name);
  page.once("dialog", (d) => void d.accept());
  await danger.locator("[data-test=close-submit]").click();
  await expect(page).toHaveURL(/\/closed$/);
  const closed = page.locator("[data-test=closed-dealership]");
  await expect(closed).toContainText(`${dealership.name} was closed on`);
  await expect(closed).toContainText("will be deleted on");

  // Every other member is out at once: the rep's pages all lead to the closed page, with no undo for them.
  const repContext = await browser.newContext();
  const rep = await repContext.newPage();
  await signIn(rep, repEmail);
  await expect(rep).toHaveURL(/\/closed$/);
  await expect(rep.locator("[data-test=closed-dealership]")).toContainText("Only an owner");
  await expect(rep.locator("[data-test=reopen-submit]")).toHaveCount(0);
  await rep.goto("/leads");
  await expect(rep).toHaveURL(/\/closed$/);

  // The owner reopens, re-authenticating again (the proof from closing has expired).
  await expireStepUp(dealership.ownerEmail);
  await page.locator("[data-test=reopen-submit]").click();
  await reauthenticate(page);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.locator("[data-test=active-dealership]")).toHaveText(dealership.name);

  await rep.goto("/leads");
  await expect(rep).toHaveURL(/\/leads$/);
  await repContext.close();
});

test("the owner of a closed dealership downloads its data from /closed; its campaign is paused by the closure and stays paused after reopening until resumed", async ({
  page,
  browser,
}) => {
  test.slow();
  const dealership = await createSpecDealership("Exporting Closed Motors");
  const adminEmail = await addMember(dealership.id, "admin", "closed-admin");
  const campaignId = await scheduledCampaign(dealership.id, "Spring service");
  await signIn(page, dealership.ownerEmail);
  await expect(page.locator("[data-test=dashboard-title]")).toBeVisible();
  await closeFromSettings(page, dealership.name);

  // An admin (who may export an open dealership) may not export a closed one: no download offered.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, adminEmail);
  await expect(admin).toHaveURL(/\/closed$/);
  await expect(admin.locator("[data-test=closed-dealership]")).toBeVisible();
  await expect(admin.locator("[data-test=closed-export]")).toHaveCount(0);
  await adminContext.close();

  // The owner, re-authenticating (the closing proof is expired), downloads the full export without reopening.
  await expireStepUp(dealership.ownerEmail);
  const exportBox = page.locator("[data-test=closed-export]");
  await exportBox.locator("[data-test=export-download]").click();
  const downloading = page.waitForEvent("download");
  await reauthenticate(page);
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^refireleads-export-\d{4}-\d\d-\d\d-csv\.zip$/);
  await expect(exportBox.locator("[data-test=export-status]")).toContainText("Done");
  expect(page.url()).toMatch(/\/closed$/);
  const files = await unzipText(await readFile((await download.path())!));
  expect(files.get("team.csv")).toContain(dealership.ownerEmail);
  expect(files.get("campaigns.csv")).toContain("Spring service");
  expect(files.get("audit_events.csv")).toContain("closed_account");
  // Still closed.
  await expect(page.locator("[data-test=reopen-submit]")).toBeVisible();

  // Reopening gives access back but does not resume the campaign; the page says why it is paused.
  await expireStepUp(dealership.ownerEmail);
  await page.locator("[data-test=reopen-submit]").click();
  await reauthenticate(page);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto(`/campaigns/${campaignId}`);
  await expect(page.locator("[data-test=campaign-status]").first()).toContainText(/paused/i);
  await expect(page.locator("[data-test=campaign-pause-reason]")).toContainText("the dealership was closed on");
  await page.locator("[data-test=campaign-resume]").click();
  await expect(page.locator("[data-test=campaign-status]").first()).toContainText(/scheduled/i);
  await expect(page.locator("[data-test=campaign-paused]")).toHaveCount(0);
});
