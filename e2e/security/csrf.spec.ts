import { expect, test } from "@playwright/test";
import { AuthPage } from "../auth/auth.po";

const CSV = "First Name,Cell Phone\nCsrf,(646) 555-0199\n";

test.describe("cross-origin writes with the victim's cookies are refused", () => {
  test("a POST to /api/imports from another origin of the same site gets 403 JSON", async ({ page, baseURL }) => {
    await new AuthPage(page).signInAndWaitForDashboard("owner@southside.test");
    const otherPort = new URL(baseURL!);
    otherPort.port = String(Number(otherPort.port) + 1);
    const multipart = { file: { name: "leads.csv", mimeType: "text/csv", buffer: Buffer.from(CSV) } };

    const attempts: Array<Record<string, string>> = [
      { origin: otherPort.origin },
      { origin: "https://evil.example" },
      { "sec-fetch-site": "same-site" },
    ];
    for (const headers of attempts) {
      const res = await page.request.post("/api/imports", { headers, multipart });
      expect(res.status(), JSON.stringify(headers)).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: "forbidden" } });
    }
    // The same request from the app's own origin goes through the usual checks (here: the preview).
    const ok = await page.request.post("/api/imports/preview", {
      headers: { origin: new URL(baseURL!).origin },
      multipart,
    });
    expect(ok.status()).toBe(200);
  });

  test("a server action posted from another origin is refused by Next.js (sign-out does not happen)", async ({
    page,
    baseURL,
  }) => {
    await new AuthPage(page).signInAndWaitForDashboard("owner@southside.test");
    const html = await (await page.request.get("/dashboard")).text();
    const actionField = /name="(\$ACTION_ID_[0-9a-f]+)"/.exec(html)?.[1];
    expect(actionField, "the sign-out form's action id").toBeTruthy();
    const otherPort = new URL(baseURL!);
    otherPort.port = String(Number(otherPort.port) + 1);
    const res = await page.request.post("/dashboard", {
      headers: { origin: otherPort.origin },
      multipart: { [actionField!]: "" },
      maxRedirects: 0,
    });
    expect(res.status()).not.toBe(303);
    expect((await page.request.get("/api/me")).status()).toBe(200);
  });
});
