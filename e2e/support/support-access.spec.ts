import { expect, test } from "@playwright/test";
import { emulatorMailbox, latestEmailTo } from "../../local-stack/auth/mailbox-client";
import { localAppEnv, stackConfig } from "../../local-stack/config";
import { DEMO_OPERATOR_EMAIL } from "../../local-stack/seed/demo";
import { DEMO_SUPPORT_REASON } from "../../local-stack/seed/demo-support";
import { AuthPage, enterSignInCode } from "../auth/auth.po";
import { expireStepUp, signIn, SPEC_PASSWORD } from "../team/team.po";
import { createSupportFixture } from "./support.po";

/**
 * Audited, consented support access end to end: an operator is refused a dealership's lead page,
 * asks for access with a reason; the owner sees the request, re-authenticates and grants it for
 * an hour; the operator opens the lead; the owner finds the page view in the audit log and ends
 * the access, after which the operator is refused again. The owner is e-mailed when the operator
 * asks. And the demo data's own request, waiting for Southside's owner.
 */
const env = localAppEnv(stackConfig("e2e"));
test("an operator asks, the owner grants after re-authenticating, every page the operator opens is in the owner's audit log", async ({
  browser,
}) => {
  test.slow();
  const fixture = await createSupportFixture("Support Spec Motors");
  const leadPath = `/operator/support/${fixture.id}/leads/${fixture.leadId}`;

  const operator = await (await browser.newContext()).newPage();
  await signIn(operator, fixture.operatorEmail);
  // Operators need a second factor: the password, then a code.
  await enterSignInCode(operator, fixture.operatorSecret);
  await expect(operator).toHaveURL(/\/operator$/);
  await operator.goto(leadPath);
  await expect(operator.locator("[data-test=forbidden]")).toBeVisible();

  await operator.goto("/operator");
  await operator.locator("[data-test=operator-support-link]").click();
  await operator.locator("[data-test=support-request-dealership]").selectOption({ label: fixture.name });
  await operator.locator("[data-test=support-request-reason]").fill("The owner asked why yesterday's import failed");
  await operator.locator("[data-test=support-request-submit]").click();
  await expect(operator.locator("[data-test=support-request-result]")).toContainText("Asked");
  const myRequest = operator.locator("[data-test=support-request-row]", { hasText: fixture.name });
  await expect(myRequest.locator("[data-test=support-request-status]")).toHaveText("Waiting for the owner");
  // The owner hears of it by e-mail without signing in: who asks, why, and where to answer.
  await expect
    .poll(async () => (await latestEmailTo(env.SUPABASE_URL!, fixture.ownerEmail, "notice"))?.body ?? "")
    .toContain("The owner asked why yesterday's import failed");
  const notice = (await latestEmailTo(env.SUPABASE_URL!, fixture.ownerEmail, "notice"))!;
  expect(notice.body).toContain(fixture.operatorEmail);
  expect(notice.link).toBe(`${env.APP_BASE_URL}/settings/support`);

  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, fixture.ownerEmail);
  await expect(owner.locator("[data-test=support-access-banner]")).toBeVisible();
  await owner.locator("[data-test=support-access-banner] a").click();
  const request = owner.locator("[data-test=support-request-row]").first();
  await expect(request).toContainText(fixture.operatorEmail);
  await expect(request).toContainText("yesterday's import failed");
  // The sign-in was a proof of identity; five minutes later the grant asks again.
  await expireStepUp(fixture.ownerEmail);
  await expect(request.locator("[data-test=support-grant-minutes]")).toHaveValue("60");
  await request.locator("[data-test=support-grant]").click();
  const dialog = owner.locator("[data-test=reauth-dialog]");
  await dialog.locator("[data-test=reauth-password]").fill(SPEC_PASSWORD);
  await dialog.locator("[data-test=reauth-submit]").click();
  await expect(request.locator("[data-test=support-request-status]")).toContainText("Granted until");

  await operator.reload();
  await myRequest.locator("[data-test=support-open]").click();
  await expect(operator.locator("[data-test=support-banner]")).toContainText(fixture.name);
  await operator.locator("[data-test=support-nav-leads]").click();
  await operator.locator("[data-test=support-lead-row] a").first().click();
  await expect(operator).toHaveURL(new RegExp(`${leadPath}$`));
  await expect(operator.locator("[data-test=support-lead-firstName]")).toHaveText("Quentin");

  await owner.goto("/audit");
  const viewed = owner.locator("[data-test=audit-row]", { hasText: "support.page_viewed" });
  await expect(viewed.filter({ hasText: leadPath })).toHaveCount(1);
  await expect(viewed.filter({ hasText: `/operator/support/${fixture.id}/leads"` })).toHaveCount(1);
  await expect(owner.locator("[data-test=audit-row]", { hasText: "support.granted" })).toHaveCount(1);

  await owner.goto("/settings/support");
  await request.locator("[data-test=support-revoke]").click();
  await expect(request.locator("[data-test=support-request-status]")).toHaveText("Ended early");
  await operator.goto(leadPath);
  await expect(operator.locator("[data-test=forbidden]")).toBeVisible();
});

test("the demo data: the demo operator's request waits for Southside's owner, who was e-mailed", async ({ page }) => {
  await new AuthPage(page).signInAndWaitForDashboard("owner@southside.test");
  await expect(page.locator("[data-test=support-access-banner]")).toContainText("asks for access");
  await page.locator("[data-test=support-access-banner] a").click();
  const request = page.locator("[data-test=support-request-row]", { hasText: DEMO_OPERATOR_EMAIL }).first();
  await expect(request).toContainText(DEMO_SUPPORT_REASON);
  await expect(request.locator("[data-test=support-grant]")).toBeVisible();
  const mail = (await emulatorMailbox(env.SUPABASE_URL!)).find(
    (m) => m.kind === "notice" && m.to === "owner@southside.test",
  );
  expect(mail?.body).toContain(DEMO_SUPPORT_REASON);
});
