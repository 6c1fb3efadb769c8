import { expect, test } from "@playwright/test";
import { addMember, createSpecDealership, expireStepUp, signIn, SPEC_PASSWORD } from "../team/team.po";

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
