import { expect, test, type APIResponse } from "@playwright/test";
import { AuthPage } from "../auth/auth.po";

function expectHardened(res: APIResponse) {
  const h = res.headers();
  expect(h["strict-transport-security"]).toContain("max-age=");
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBeTruthy();
  expect(h["permissions-policy"]).toContain("camera=()");
  const csp = h["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).toContain("frame-ancestors 'none'");
}

test("pages carry the security headers with a fresh nonce each time", async ({ request }) => {
  const a = await request.get("/login");
  const b = await request.get("/login");
  expectHardened(a);
  expectHardened(b);
  expect(a.headers()["content-security-policy"]).not.toBe(b.headers()["content-security-policy"]);
  // The nonce in the header is the one on the page's scripts.
  const nonce = /'nonce-([^']+)'/.exec(a.headers()["content-security-policy"]!)![1]!;
  expect(await a.text()).toContain(`nonce="${nonce}"`);
});

test("API routes answer 401 JSON when signed out, with the headers", async ({ request }) => {
  const res = await request.get("/api/me", { maxRedirects: 0 });
  expect(res.status()).toBe(401);
  expect(await res.json()).toMatchObject({ error: { code: "unauthenticated" } });
  expectHardened(res);
});

test("pages redirect signed-out visitors to /login", async ({ request }) => {
  const res = await request.get("/dashboard", { maxRedirects: 0 });
  expect(res.status()).toBe(307);
  expect(res.headers()["location"]).toMatch(/\/login\?next=%2Fdashboard$/);
});

test("security.txt is served", async ({ request }) => {
  const res = await request.get("/.well-known/security.txt");
  expect(res.status()).toBe(200);
  expect(await res.text()).toMatch(/^Contact: mailto:/m);
});

test("API calls are limited to 30 a minute per user and endpoint, with Retry-After", async ({ page }) => {
  await new AuthPage(page).signInAndWaitForDashboard("rep@southside.test");
  const statuses: number[] = [];
  for (let i = 0; i < 31; i++) statuses.push((await page.request.get("/api/me")).status());
  expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
  const limited = await page.request.get("/api/me");
  expect(limited.status()).toBe(429);
  expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(0);
  expect(await limited.json()).toMatchObject({ error: { code: "rate_limited" } });
});
