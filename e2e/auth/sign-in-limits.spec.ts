import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { localAppEnv, stackConfig } from "../../local-stack/config";
import { createUser } from "../../local-stack/auth/users";

const env = localAppEnv(stackConfig("e2e"));
const PASSWORD = "limits-e2e-password";

/** A user of its own, so locking it out cannot disturb any other spec. */
async function freshUser(): Promise<string> {
  const sql = postgres(env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    const email = `limits-${randomUUID().slice(0, 8)}@e2e.test`;
    await createUser(sql, { email, password: PASSWORD });
    return email;
  } finally {
    await sql.end();
  }
}

test("six wrong passwords with six forged X-Forwarded-For hops, then the right one: still refused", async ({
  page,
}) => {
  const email = await freshUser();
  const attempt = async (password: string, forgedHop: string) => {
    await page.setExtraHTTPHeaders({ "x-forwarded-for": forgedHop });
    await page.goto("/login");
    await page.locator("[data-test=login-email]").fill(email);
    await page.locator("[data-test=login-password]").fill(password);
    await page.locator("[data-test=login-submit]").click();
    await expect(page.locator("[data-test=login-error]")).toBeVisible();
    return page.locator("[data-test=login-error]").textContent();
  };
  const wrong = [];
  for (let i = 1; i <= 6; i++) wrong.push(await attempt(`wrong-${i}`, `203.0.113.${i}`));
  const right = await attempt(PASSWORD, "203.0.113.99");
  // Refused, and in the very words of a wrong password: nothing tells the attacker it was right.
  expect(new Set([...wrong, right]).size).toBe(1);
  await expect(page).toHaveURL(/\/login/);
});
