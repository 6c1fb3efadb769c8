import { expect, test } from "@playwright/test";
import { AuthPage } from "../auth/auth.po";
import { InboxPage, marker, TestPhonePage } from "../inbox/inbox.po";
import { campaignLeadsCsv, campaignRows, CampaignsPage } from "./campaigns.po";

/** Three distinct numbers of Southside's 773-555-07xx block, which only this spec uses. */
function freshPhones(n: number): string[] {
  const picked = new Set<number>();
  while (picked.size < n) picked.add(Math.floor(Math.random() * 100));
  return [...picked].map((x) => `+177355507${String(x).padStart(2, "0")}`);
}
const asDialed = (e164: string) => `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;

test("a manager builds a campaign for fresh leads, launches it once, watches it progress and sees a reply arrive on the campaign page and in the inbox", async ({
  page,
}) => {
  test.slow();
  const cspViolations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  const tag = `Cmp${Date.now().toString(36)}`;
  const phones = freshPhones(3);
  await new AuthPage(page).signInAndWaitForDashboard("manager@southside.test");
  const campaigns = new CampaignsPage(page);
  await campaigns.importLeads(`${tag}.csv`, campaignLeadsCsv(tag, phones.map(asDialed)));

  await campaigns.openComposer();
  const name = marker("Trade-in week");
  await page.locator("[data-test=campaign-name]").fill(name);
  // The audience: this run's lead source, i.e. exactly the three leads imported above.
  await campaigns.chooseSource(`Campaign ${tag}`);
  await expect(campaigns.eligible()).toHaveText("3");

  // A template error is shown with its position, and a suggestion.
  await campaigns.template().fill("Hi {frist_name}");
  const error = page.locator("[data-test=campaign-template-error]");
  await expect(error).toContainText("did you mean {first_name}?");
  await expect(error).toContainText("line 1, column 4");
  await expect(campaigns.launchButton()).toBeDisabled();

  // Merge fields go in at the cursor; previews are rendered on the server for the real leads.
  await campaigns.template().fill("Hi ");
  await page.locator("[data-test=campaign-insert-first_name]").click();
  await expect(campaigns.template()).toHaveValue("Hi {first_name|there}");
  await campaigns.template().press("End");
  await campaigns.template().pressSequentially(", your {vehicle} is worth more than you think ✓");
  await expect(page.locator("[data-test=campaign-ucs2-warning]")).toContainText("“✓”");
  await expect(campaigns.previews()).toHaveCount(3);
  await expect(campaigns.previews().first().locator("[data-test=campaign-preview-body]")).toContainText(`Hi ${tag}`);
  await expect(page.locator("[data-test=campaign-preview-0-segments]")).toHaveAttribute("data-encoding", "UCS-2");
  // The first text a lead ever gets carries the dealership's opt-out line.
  await expect(page.locator("[data-test=campaign-footer-text]")).toHaveText("Reply STOP to opt out");
  await expect(campaigns.previews().first()).toContainText("Reply STOP to opt out");

  const template = "Hi {first_name|there}, your {vehicle} is worth more than you think. Want a number?";
  await campaigns.template().fill(template);
  await expect(page.locator("[data-test=campaign-ucs2-warning]")).toHaveCount(0);
  await expect(page.locator("[data-test=campaign-preview-0-segments]")).toHaveAttribute("data-encoding", "GSM-7");
  await expect(campaigns.launchButton()).toHaveText("Launch now to 3 leads");

  // A double submission (double click, resubmitted form) launches once: one campaign, three queue rows.
  await campaigns.composer().evaluate((form: HTMLFormElement) => {
    form.requestSubmit();
    form.requestSubmit();
  });
  await expect(page).toHaveURL(/\/campaigns\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  await expect(page.locator("[data-test=campaign-name-heading]")).toHaveText(name);
  expect(await campaignRows(name)).toEqual({ campaigns: 1, recipients: 3 });

  // Progress updates without a reload: the worker texts all three through the Twilio emulator.
  await expect(campaigns.count("delivered")).toHaveText("3", { timeout: 40_000 });
  await expect(campaigns.count("queued")).toHaveText("0");
  await expect(page.locator("[data-test=campaign-status]")).toHaveAttribute("data-status", "completed", {
    timeout: 20_000,
  });
  await expect(page.locator("[data-test=campaign-chart]")).toBeVisible();

  // The lead answers from the local test phone; the reply shows up on the campaign page by itself.
  const phone = new TestPhonePage(await page.context().newPage());
  await phone.open(phones[0]!);
  await expect(phone.message("Reply STOP to opt out")).toBeVisible();
  const answer = marker("Sure, what would you give me?");
  await phone.reply(answer);
  await page.bringToFront();
  await expect(campaigns.reply(answer)).toBeVisible({ timeout: 20_000 });
  await expect(campaigns.count("replied")).toHaveText("1");

  // Each reply links to its inbox thread.
  await campaigns.reply(answer).locator("[data-test=campaign-reply-link]").click();
  await expect(page).toHaveURL(/\/inbox\/[0-9a-f-]{36}$/);
  await expect(new InboxPage(page).message(answer)).toBeVisible();
  expect(cspViolations).toEqual([]);
});

test("reps see campaigns but cannot build or control them", async ({ page }) => {
  await new AuthPage(page).signInAndWaitForDashboard("rep@northside.test");
  await page.goto("/campaigns");
  await expect(page.locator("[data-test=campaign-row]").first()).toBeVisible();
  await expect(page.locator("[data-test=campaign-new]")).toHaveCount(0);
  await page.locator("[data-test=campaign-link]").first().click();
  await expect(page.locator("[data-test=campaign-progress]")).toBeVisible();
  await expect(page.locator("[data-test=campaign-controls]")).toHaveCount(0);
  expect((await page.goto("/campaigns/new"))?.status()).toBe(403);
  const count = await page.request.post("/api/campaigns/audience", { data: { audience: {} } });
  expect(count.status()).toBe(403);
});

test("another dealership's campaign is a 404 by page and by API", async ({ page }) => {
  await new AuthPage(page).signInAndWaitForDashboard("owner@northside.test");
  await page.goto("/campaigns");
  await page.locator("[data-test=campaign-link]").first().click();
  await expect(page.locator("[data-test=campaign-page]")).toBeVisible();
  const id = (await page.locator("[data-test=campaign-page]").getAttribute("data-campaign-id"))!;
  await new AuthPage(page).signOut();
  await new AuthPage(page).signInAndWaitForDashboard("owner@southside.test");
  expect((await page.goto(`/campaigns/${id}`))?.status()).toBe(404);
  expect((await page.request.get(`/api/campaigns/${id}/progress`)).status()).toBe(404);
});
