import { expect, type Page } from "@playwright/test";
import postgres from "postgres";
import { localAppEnv, stackConfig } from "../../local-stack/config";
import { ImportPage } from "../import/import.po";

const env = localAppEnv(stackConfig("e2e"));

/**
 * A small CRM export of leads only this spec texts: Southside's 773-555-07xx block (the import spec
 * uses 08xx, the demo leads 01xx) and a lead source named after the run, so the campaign's audience
 * (that source) reaches exactly these leads, whatever other specs left behind.
 */
export function campaignLeadsCsv(tag: string, phones: string[]): string {
  const lines = ["First Name,Last Name,Mobile,Vehicle,Lead Source"];
  phones.forEach((phone, i) => lines.push(`${tag}${i},Campaigner,${phone},2020 Honda Civic EX,Campaign ${tag}`));
  return `${lines.join("\r\n")}\r\n`;
}

/** Page object for the campaign list, composer and campaign page. */
export class CampaignsPage {
  constructor(readonly page: Page) {}

  /** Import the leads through the real import wizard; resolves when the summary shows. */
  async importLeads(fileName: string, csv: string) {
    const importer = new ImportPage(this.page);
    await importer.open();
    await importer.upload(fileName, csv);
    await expect(importer.review()).toBeVisible();
    await importer.start();
    await expect(this.page.locator("[data-test=import-summary]")).toBeVisible({ timeout: 30_000 });
  }

  async openComposer() {
    await this.page.goto("/campaigns");
    await this.page.locator("[data-test=campaign-new]").click();
    await expect(this.page.locator("[data-test=campaign-composer]")).toBeVisible();
  }

  composer() {
    return this.page.locator("[data-test=campaign-composer]");
  }

  template() {
    return this.page.locator("[data-test=campaign-template]");
  }

  eligible() {
    return this.page.locator("[data-test=campaign-eligible]");
  }

  previews() {
    return this.page.locator("[data-test=campaign-preview]");
  }

  /** Pick the audience's lead source by its label. */
  async chooseSource(label: string) {
    await this.page.locator("[data-test=campaign-audience-source]").selectOption({ label });
  }

  launchButton() {
    return this.page.locator("[data-test=campaign-launch]");
  }

  /** One progress tile's number on the campaign page (queued, sent, delivered, failed, replied, opted-out). */
  count(name: "queued" | "sent" | "delivered" | "failed" | "replied" | "opted-out") {
    return this.page.locator(`[data-test=campaign-count-${name}] [data-test=campaign-count-value]`);
  }

  reply(text: string) {
    return this.page.locator("[data-test=campaign-reply]").filter({ hasText: text });
  }
}

/** Campaigns with this name and their queue rows, read as the platform (to prove what happened once). */
export async function campaignRows(name: string): Promise<{ campaigns: number; recipients: number }> {
  const sql = postgres(env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ campaigns: number; recipients: number }[]>`
      select count(distinct c.id)::int as campaigns, count(r.id)::int as recipients
      from public.campaigns c left join public.campaign_recipients r on r.campaign_id = c.id
      where c.name = ${name}`;
    return row!;
  } finally {
    await sql.end();
  }
}
