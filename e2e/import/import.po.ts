import { expect, type Page } from "@playwright/test";

/** Page object for the CSV import wizard. */
export class ImportPage {
  constructor(private readonly page: Page) {}

  async open() {
    await this.page.goto("/import");
    await expect(this.page.locator("[data-test=import-dropzone]")).toBeVisible();
  }

  async upload(name: string, content: string | Buffer) {
    await this.page
      .locator("[data-test=import-file]")
      .setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(content) });
  }

  review() {
    return this.page.locator("[data-test=import-review]");
  }

  error() {
    return this.page.locator("[data-test=import-error]");
  }

  async start() {
    await this.page.locator("[data-test=import-start]").click();
  }

  count(name: "imported" | "updated" | "duplicates" | "invalid" | "suppressed") {
    return this.page.locator(`[data-test=import-count-${name}] [data-test=import-count-value]`);
  }
}
