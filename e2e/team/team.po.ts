import { randomUUID } from "node:crypto";
import { expect, type Page } from "@playwright/test";
import postgres from "postgres";
import { latestEmailTo } from "../../local-stack/auth/mailbox-client";
import { createUser } from "../../local-stack/auth/users";
import { localAppEnv, stackConfig } from "../../local-stack/config";

const env = localAppEnv(stackConfig("e2e"));

/** The password of the users these specs create. */
export const SPEC_PASSWORD = "team-spec-password-1";

/** The e2e database as the platform (for setting up a spec's own dealership and forcing time). */
export function e2eDb() {
  return postgres(env.DATABASE_URL!, { max: 1, onnotice: () => {} });
}

/** A fresh dealership of this spec's own, so nothing another spec does interferes. */
export async function createSpecDealership(label: string) {
  const sql = e2eDb();
  try {
    const tag = randomUUID().slice(0, 8);
    const [d] = await sql`insert into public.dealerships (name) values (${`${label} ${tag}`}) returning id, name`;
    const owner = await addMemberWith(sql, d!.id as string, "owner", `owner-${tag}`);
    return { id: d!.id as string, name: d!.name as string, ownerEmail: owner, tag };
  } finally {
    await sql.end();
  }
}

async function addMemberWith(sql: postgres.Sql, dealershipId: string, role: string, local: string): Promise<string> {
  const email = `${local}@team-spec.test`;
  const { id } = await createUser(sql, { email, password: SPEC_PASSWORD, userMetadata: { display_name: local } });
  await sql`insert into public.memberships (dealership_id, user_id, role) values (${dealershipId}, ${id}, ${role})`;
  return email;
}

/** Add a member with a role (as the platform would have); returns their e-mail. */
export async function addMember(dealershipId: string, role: string, local: string): Promise<string> {
  const sql = e2eDb();
  try {
    return await addMemberWith(sql, dealershipId, role, `${local}-${randomUUID().slice(0, 6)}`);
  } finally {
    await sql.end();
  }
}

/** Let 5 minutes pass for a user's step-up proofs (they are forgotten). */
export async function expireStepUp(email: string): Promise<void> {
  const sql = e2eDb();
  try {
    await sql`delete from private.reauthentications r using auth.users u where u.id = r.user_id and u.email = ${email}`;
  } finally {
    await sql.end();
  }
}

/** The link of the newest e-mail of a kind to an address in the local mailbox (waits for it). */
export async function mailboxLink(to: string, kind: "invite" | "recovery"): Promise<string> {
  let link = "";
  await expect
    .poll(async () => {
      link = (await latestEmailTo(env.SUPABASE_URL!, to, kind))?.link ?? "";
      return link;
    })
    .not.toBe("");
  return link;
}

/** Sign in with the spec password (no wait). */
export async function signIn(page: Page, email: string, password = SPEC_PASSWORD) {
  await page.goto("/login");
  await page.locator("[data-test=login-email]").fill(email);
  await page.locator("[data-test=login-password]").fill(password);
  await page.locator("[data-test=login-submit]").click();
}

/** The team table's row of a member. */
export function teamRow(page: Page, email: string) {
  return page
    .locator("[data-test=team-row]")
    .filter({ has: page.locator("[data-test=team-email]", { hasText: email }) });
}
