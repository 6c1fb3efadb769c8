import { expect, test } from "@playwright/test";
import { AuthPage } from "../auth/auth.po";

const FIVE_MB = Buffer.alloc(5 * 1024 * 1024, "a");

/** A CRM export of about 3.5 MB (long notes), with phones no other spec uses (646-555-02xx). */
function largeExport(tag: string) {
  const notes = "n".repeat(35_000);
  const lines = ["First Name,Last Name,Cell Phone,Notes"];
  for (let i = 0; i < 100; i++) lines.push(`${tag}${i},Large,(646) 555-02${String(i).padStart(2, "0")},${notes}`);
  return Buffer.from(`${lines.join("\r\n")}\r\n`);
}

test.describe("request body limits", () => {
  test("a signed-out 5 MB POST is refused with 413 before it is read", async ({ request }) => {
    for (const path of ["/api/leads/00000000-0000-4000-8000-000000000000", "/api/me", "/login", "/dashboard"]) {
      const res = await request.post(path, {
        data: FIVE_MB,
        headers: { "content-type": "application/octet-stream" },
        maxRedirects: 0,
      });
      expect(res.status(), path).toBe(413);
    }
    // The import route reads bodies itself, only after authentication.
    const imp = await request.post("/api/imports", {
      data: FIVE_MB,
      headers: { "content-type": "multipart/form-data; boundary=x" },
    });
    expect(imp.status()).toBe(401);
  });

  test("a signed-in 5 MB POST outside the import is refused too", async ({ page }) => {
    await new AuthPage(page).signInAndWaitForDashboard("manager@southside.test");
    const res = await page.request.post("/leads", {
      data: FIVE_MB,
      headers: { "content-type": "text/plain" },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(413);
  });

  test("the import still takes a large file when signed in", async ({ page, baseURL }) => {
    await new AuthPage(page).signInAndWaitForDashboard("manager@southside.test");
    const file = largeExport(`Big${Date.now().toString(36)}`);
    expect(file.byteLength).toBeGreaterThan(3 * 1024 * 1024);
    const res = await page.request.post("/api/imports", {
      headers: { origin: new URL(baseURL!).origin },
      multipart: { file: { name: "large.csv", mimeType: "text/csv", buffer: file } },
      timeout: 60_000,
    });
    expect(res.status()).toBe(200);
    const lines = (await res.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const done = lines.find((l) => l.type === "done");
    expect(done, JSON.stringify(lines.at(-1))).toBeTruthy();
    expect(done.summary.counts.imported + done.summary.counts.updated).toBe(100);
  });
});
