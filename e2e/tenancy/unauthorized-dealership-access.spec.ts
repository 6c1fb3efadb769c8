import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { localAppEnv, stackConfig } from "../../local-stack/config";
import { AuthPage } from "../auth/auth.po";

/** Southside's lead ids, read as the platform (superuser) to try them through Northside's session. */
async function southsideIds() {
  const sql = postgres(localAppEnv(stackConfig("e2e")).DATABASE_URL!, { max: 1 });
  try {
    const [d] = await sql`select id from public.dealerships where name = 'Southside Auto'`;
    const leads = await sql`select id from public.leads where dealership_id = ${d!.id} order by id limit 3`;
    return { dealershipId: d!.id as string, leadIds: leads.map((l) => l.id as string) };
  } finally {
    await sql.end();
  }
}

test.describe("the Northside owner cannot reach Southside", () => {
  test("sees Northside's dashboard and nothing of Southside", async ({ page }) => {
    await new AuthPage(page).signInAndWaitForDashboard("owner@northside.test");
    await expect(page.locator("[data-test=active-dealership]")).toHaveText("Northside Motors");
    await expect(page.locator("[data-test=count-total] [data-test=count-value]")).toHaveText("50");
    await expect(page.locator("[data-test=dealership-switcher]")).toHaveCount(0);
    await page.goto("/leads");
    await expect(page.locator("[data-test=lead-row]")).toHaveCount(50);
    await expect(page.locator("body")).not.toContainText("(773)");
    await expect(page.locator("body")).not.toContainText("+1773");
  });

  test("Southside URLs answer 404, by page and by API", async ({ page }) => {
    const { dealershipId, leadIds } = await southsideIds();
    await new AuthPage(page).signInAndWaitForDashboard("owner@northside.test");
    for (const id of leadIds) {
      const res = await page.goto(`/leads/${id}`);
      expect(res?.status()).toBe(404);
      await expect(page.locator("[data-test=lead-detail]")).toHaveCount(0);
      const api = await page.request.get(`/api/leads/${id}`);
      expect(api.status()).toBe(404);
    }
    // Naming Southside in the active-dealership cookie is ignored: still Northside.
    const session = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const forged = `${session}; __Host-rl-dealership=${dealershipId}`;
    const dashboard = await page.request.get("/dashboard", { headers: { cookie: forged } });
    expect(await dashboard.text()).toContain("Northside Motors");
    const me = await (await page.request.get("/api/me", { headers: { cookie: forged } })).json();
    expect(me.activeDealership.dealershipName).toBe("Northside Motors");
    const lead = await page.request.get(`/api/leads/${leadIds[0]}`, { headers: { cookie: forged } });
    expect(lead.status()).toBe(404);
    expect(me.memberships).toHaveLength(1);
  });

  test("a rep sees only their assigned leads", async ({ page }) => {
    await new AuthPage(page).signInAndWaitForDashboard("rep@northside.test");
    await expect(page.locator("[data-test=count-total] [data-test=count-value]")).toHaveText("25");
  });

  test("the group admin switches dealerships, and the switch is audited", async ({ page }) => {
    await new AuthPage(page).signInAndWaitForDashboard("admin@group.test");
    // The same cookie that Northside's owner forged above does select Southside for a real member:
    // so the refusal above is the membership check, not a cookie that is never read.
    const { dealershipId } = await southsideIds();
    const session = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const me = await (
      await page.request.get("/api/me", { headers: { cookie: `${session}; __Host-rl-dealership=${dealershipId}` } })
    ).json();
    expect(me.activeDealership.dealershipName).toBe("Southside Auto");
    const switcher = page.locator("[data-test=dealership-switcher]");
    const current = (await page.locator("[data-test=active-dealership]").textContent())!;
    const other = current === "Northside Motors" ? "Southside Auto" : "Northside Motors";
    await switcher.locator("select").selectOption({ label: other });
    await switcher.locator("button").click();
    await expect(page.locator("[data-test=active-dealership]")).toHaveText(other);
    await page.goto("/audit");
    await expect(
      page.locator("[data-test=audit-row]").filter({ hasText: "dealership.switched" }).first(),
    ).toBeVisible();
  });
});
