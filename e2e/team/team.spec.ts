import { expect, test } from "@playwright/test";
import { addMember, createSpecDealership, expireStepUp, mailboxLink, signIn, SPEC_PASSWORD, teamRow } from "./team.po";

test("an owner invites a rep, who accepts from the local mailbox and signs in; removed, their session ends at once", async ({
  browser,
  page,
}) => {
  test.slow();
  const dealership = await createSpecDealership("Invite Motors");
  const hire = `hire-${dealership.tag}@team-spec.test`;

  await signIn(page, dealership.ownerEmail);
  await expect(page.locator("[data-test=dashboard-title]")).toBeVisible();
  await page.goto("/settings");
  await page.locator("[data-test=invite-email]").fill(hire);
  await page.locator("[data-test=invite-role]").selectOption("rep");
  await page.locator("[data-test=invite-submit]").click();
  await expect(page.locator("[data-test=invite-sent]")).toHaveText("Invitation sent.");
  await expect(page.locator("[data-test=invitation-row]").filter({ hasText: hire })).toHaveCount(1);

  // The rep, on another device: the local mailbox shows the e-mail Supabase Auth would send.
  const repContext = await browser.newContext();
  const rep = await repContext.newPage();
  await rep.goto("/local/mailbox");
  const email = rep.locator("[data-test=mailbox-email]").filter({ hasText: hire }).first();
  await expect(email).toContainText("You have been invited to RefireLeads");
  await email.locator("[data-test=mailbox-link]").click();
  await expect(rep).toHaveURL(/\/auth\/confirm\?token_hash=/);
  await rep.locator("[data-test=confirm-link-continue]").click();
  await expect(rep.locator("[data-test=my-invitation]")).toContainText(dealership.name);
  // Too short, then mismatched: refused with reasons, nothing joined.
  await rep.locator("[data-test=accept-password]").fill("short");
  await rep.locator("[data-test=accept-password-confirm]").fill("short");
  await rep.locator("[data-test=accept-submit]").click();
  await expect(rep.locator("[data-test=accept-form]")).toContainText("at least 10 characters");
  await rep.locator("[data-test=accept-password]").fill(SPEC_PASSWORD);
  await rep.locator("[data-test=accept-password-confirm]").fill(SPEC_PASSWORD);
  await rep.locator("[data-test=accept-submit]").click();
  await expect(rep.locator("[data-test=dashboard-title]")).toBeVisible();

  // The link works once.
  await rep.goto(await mailboxLink(hire, "invite"));
  await rep.locator("[data-test=confirm-link-continue]").click();
  await expect(rep).toHaveURL(/\/login\/link-expired$/);

  // The rep signs in with the password chosen.
  await rep.goto("/dashboard");
  await rep.locator("[data-test=sign-out]").click();
  // The sign-out (recorded in the audit log first) must finish before the next page is opened.
  await expect(rep).toHaveURL(/\/login$/);
  await signIn(rep, hire);
  await expect(rep.locator("[data-test=dashboard-title]")).toBeVisible();
  expect((await rep.request.get("/api/me")).status()).toBe(200);

  // The owner removes the rep (a fresh sign-in counts as the step-up).
  await page.goto("/settings");
  const row = teamRow(page, hire);
  await expect(row.locator("[data-test=team-role]")).toHaveText("rep");
  page.once("dialog", (d) => void d.accept());
  await row.locator("[data-test=member-remove]").click();
  await expect(teamRow(page, hire)).toHaveCount(0);

  // The rep's very next request fails.
  const me = await rep.request.get("/api/me");
  expect(me.status()).toBe(401);
  await rep.goto("/leads");
  await expect(rep).toHaveURL(/\/login/);
  await repContext.close();
});

test("a role change after 5 minutes asks for the password again; a rep is offered no team controls", async ({
  browser,
  page,
}) => {
  const dealership = await createSpecDealership("Step-up Motors");
  const member = await addMember(dealership.id, "rep", "rep");
  await signIn(page, dealership.ownerEmail);
  await expect(page.locator("[data-test=dashboard-title]")).toBeVisible();
  await expireStepUp(dealership.ownerEmail);

  await page.goto("/settings");
  const row = teamRow(page, member);
  await row.locator("[data-test=member-role]").selectOption("manager");
  await row.locator("[data-test=member-role-save]").click();
  const dialog = page.locator("dialog[open][data-test=reauth-dialog]");
  await expect(dialog).toBeVisible();
  await dialog.locator("[data-test=reauth-password]").fill("not the password");
  await dialog.locator("[data-test=reauth-submit]").click();
  await expect(dialog.locator("[data-test=reauth-error]")).toContainText("not right");
  await expect(row.locator("[data-test=team-role]")).toHaveText("rep");
  await dialog.locator("[data-test=reauth-password]").fill(SPEC_PASSWORD);
  await dialog.locator("[data-test=reauth-submit]").click();
  await expect(dialog).toBeHidden();
  await expect(row.locator("[data-test=team-role]")).toHaveText("manager");

  // The last owner cannot leave the dealership ownerless: no control for themselves, and
  // admins are not offered "owner".
  await expect(teamRow(page, dealership.ownerEmail).locator("[data-test=member-role]")).toHaveCount(0);

  const repContext = await browser.newContext();
  const rep = await repContext.newPage();
  const plainRep = await addMember(dealership.id, "rep", "plain");
  await signIn(rep, plainRep);
  await expect(rep.locator("[data-test=dashboard-title]")).toBeVisible();
  await rep.goto("/settings");
  await expect(rep.locator("[data-test=team-row]").first()).toBeVisible();
  await expect(rep.locator("[data-test=member-role]")).toHaveCount(0);
  await expect(rep.locator("[data-test=invite-form]")).toHaveCount(0);
  await repContext.close();
});
