/**
 * Demo data for local mode only: two dealerships, each with an owner, a manager and a rep, and
 * about 50 leads (encrypted exactly as the app does). Runs once; a seeded database is left alone.
 */
import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import { blindIndex, normalizeEmail, normalizeNameForIndex } from "../../lib/crypto/blind-index";
import { parseKeyring } from "../../lib/crypto/keyring";
import { encryptLeadPii } from "../../lib/leads/lead-fields";
import { findOrCreateLeadSources, normalizeSourceLabel } from "../../lib/leads/lead-sources";
import { convertLegacyLeadSources } from "../../lib/leads/legacy-lead-sources";
import { insertTotpFactor, markFactorVerified } from "../auth/mfa-factors";
import { createUser } from "../auth/users";
import { LOCAL_SECRETS, type StackConfig } from "../config";
import { seedDemoCampaign } from "./demo-campaign";
import { demoLeads } from "./demo-data";
import { seedDemoSupportRequest } from "./demo-support";

export const DEMO_DEALERSHIPS = [
  // sendingNumber: the dealership's Twilio number in local mode (valid for libphonenumber, in the
  // fictional 555 exchange, and outside the 555-01xx block the demo leads use).
  { name: "Northside Motors", slug: "northside", areaCode: "312", seed: 0, sendingNumber: "+13125550000" },
  { name: "Southside Auto", slug: "southside", areaCode: "773", seed: 11, sendingNumber: "+17735550000" },
] as const;

export const DEMO_ROLES = ["owner", "manager", "rep"] as const;

export const DEMO_GROUP_ADMIN_EMAIL = "admin@group.test";
/** A platform operator (app_metadata.platform_role, as the service role sets it): no membership. */
export const DEMO_OPERATOR_EMAIL = "operator@platform.test";
/** A demo dealership that is still pending (the operator console approves it). */
export const DEMO_PENDING_DEALERSHIP = "Lakeside Motors";

/** E-mail of a demo user, e.g. demoEmail("northside", "owner") = owner@northside.test. */
export const demoEmail = (slug: string, role: string) => `${role}@${slug}.test`;

/** Seed the demo dealerships unless they already exist. */
export async function seedDemoData(sql: Sql, config: StackConfig, log: (m: string) => void): Promise<void> {
  if (process.env.NODE_ENV === "production") throw new Error("Demo data is for local mode only.");
  const keyring = parseKeyring(LOCAL_SECRETS.piiKeys, LOCAL_SECRETS.blindIndexKey);
  const [existing] = await sql`select 1 from public.dealerships where name = ${DEMO_DEALERSHIPS[0].name}`;
  if (existing) {
    // A database seeded before lead_sources existed: encrypt its plaintext sources, as keys:rotate would.
    const converted = await convertLegacyLeadSources(sql, keyring);
    if (converted) log(`encrypted the plaintext source of ${converted} demo leads`);
    await seedDemoSendingNumbers(sql, log);
    // A database seeded before operators needed a second factor gets the demo operator's.
    await seedDemoOperatorFactor(sql, log);
    // A pending support request for Southside's owner (asked again once the last one lapsed).
    await seedDemoSupportRequest(sql, config, DEMO_OPERATOR_EMAIL, log);
    // A database seeded before campaigns existed gets the demo campaign too.
    return seedDemoCampaign(sql, keyring, log);
  }

  await sql.begin(async (tx) => {
    const txSql = tx as unknown as Sql;
    // A group manager who is an admin at both dealerships, to show the dealership switcher.
    const groupAdmin = await createUser(txSql, {
      email: DEMO_GROUP_ADMIN_EMAIL,
      password: LOCAL_SECRETS.demoPassword,
      userMetadata: { display_name: "Group admin" },
    });
    await createUser(txSql, {
      email: DEMO_OPERATOR_EMAIL,
      password: LOCAL_SECRETS.demoPassword,
      userMetadata: { display_name: "Platform operator" },
      appMetadata: { platform_role: "operator" },
    });
    // A dealership waiting for approval, for the operator console (no members: its owner is invited).
    await tx`insert into public.dealerships (name, status) values (${DEMO_PENDING_DEALERSHIP}, 'pending')`;
    for (const d of DEMO_DEALERSHIPS) {
      const [dealership] = await tx`insert into public.dealerships (name) values (${d.name}) returning id`;
      const dealershipId = dealership!.id as string;
      const userIds: Record<string, string> = {};
      for (const role of DEMO_ROLES) {
        const { id } = await createUser(txSql, {
          email: demoEmail(d.slug, role),
          password: LOCAL_SECRETS.demoPassword,
          userMetadata: { display_name: `${d.name.split(" ")[0]} ${role}` },
        });
        userIds[role] = id;
        await tx`insert into public.memberships (dealership_id, user_id, role) values (${dealershipId}, ${id}, ${role})`;
      }
      await tx`insert into public.memberships (dealership_id, user_id, role) values (${dealershipId}, ${groupAdmin.id}, 'admin')`;
      const leads = demoLeads(50, d.areaCode, d.seed);
      // The superuser bypasses RLS, so the app's own helper creates the (encrypted) sources.
      const sourceIds = await findOrCreateLeadSources(
        tx,
        dealershipId,
        leads.map((l) => l.source),
        keyring,
      );
      const rows = leads.map((lead, i) => {
        const id = randomUUID();
        const email = lead.pii.email ? normalizeEmail(lead.pii.email) : null;
        const name = normalizeNameForIndex(lead.pii.firstName ?? "", lead.pii.lastName ?? "");
        return {
          id,
          dealership_id: dealershipId,
          ...encryptLeadPii(lead.pii, dealershipId, id, keyring),
          phone_bidx: blindIndex("phone", lead.pii.phone!, dealershipId, keyring),
          email_bidx: email ? blindIndex("email", email, dealershipId, keyring) : null,
          full_name_bidx: name ? blindIndex("name", name, dealershipId, keyring) : null,
          status: lead.status,
          source_id: sourceIds.get(normalizeSourceLabel(lead.source)!) ?? null,
          assigned_to: i % 2 === 0 ? userIds.rep! : null,
          last_activity_at: new Date(Date.now() - lead.daysSinceActivity * 86_400_000),
        };
      });
      await tx`insert into public.leads ${tx(rows)}`;
    }
  });
  log(`seeded demo data (${config.profile}): ${DEMO_DEALERSHIPS.map((d) => d.name).join(", ")}`);
  await seedDemoSendingNumbers(sql, log);
  await seedDemoOperatorFactor(sql, log);
  await seedDemoSupportRequest(sql, config, DEMO_OPERATOR_EMAIL, log);
  await seedDemoCampaign(sql, keyring, log);
}

/**
 * Give the demo operator its authenticator (LOCAL_SECRETS.demoOperatorTotpSecret, verified) unless
 * it has a factor already: operators need a second factor, and the demo must stay one sign-in away.
 */
async function seedDemoOperatorFactor(sql: Sql, log: (m: string) => void): Promise<void> {
  const [operator] = await sql<{ id: string }[]>`
    select u.id from auth.users u
    where u.email = ${DEMO_OPERATOR_EMAIL}
      and not exists (select 1 from auth.mfa_factors f where f.user_id = u.id)`;
  if (!operator) return;
  const factor = await insertTotpFactor(sql, operator.id, "Demo authenticator", LOCAL_SECRETS.demoOperatorTotpSecret);
  await markFactorVerified(sql, factor.id);
  log("gave the demo operator its authenticator key (README: Local accounts)");
}

/**
 * Give each demo dealership its sending number if it has none (so databases seeded before
 * numbers existed get one too); a dealership that already has a number is left alone.
 */
export async function seedDemoSendingNumbers(sql: Sql, log: (m: string) => void): Promise<void> {
  for (const d of DEMO_DEALERSHIPS) {
    const added = await sql`
      insert into public.sending_numbers (dealership_id, phone_number, label)
      select d.id, ${d.sendingNumber}, 'Main line' from public.dealerships d
      where d.name = ${d.name} and not exists (select 1 from public.sending_numbers s where s.dealership_id = d.id)
      on conflict do nothing
      returning id`;
    // Only the last digits: logs never carry a full phone number (the e2e run scans for them).
    if (added.length > 0) log(`added sending number …${d.sendingNumber.slice(-4)} to ${d.name}`);
  }
}
