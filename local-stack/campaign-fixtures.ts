/**
 * Fixtures for campaign tests, written as the database superuser (the platform's view): a
 * dealership with a team and a sending number, leads in every state an audience can exclude,
 * and a helper to run as a member. Each call uses fresh names and numbers.
 */
import { randomInt, randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import { blindIndex } from "../lib/crypto/blind-index";
import { withUser, type UserScope } from "../lib/db/scope";
import { encryptMessageBody } from "../lib/sms/message-body";
import { createSendingNumber, seedInboundMessage } from "../lib/sms/testing/messaging-fixtures";
import { createDealership, createLead, createMember, type TestMember } from "./test-fixtures";

/** A dealership ready to run campaigns. */
export interface CampaignDealership {
  dealershipId: string;
  owner: TestMember;
  manager: TestMember;
  rep: TestMember;
  numberId: string;
  numberPhone: string;
}

/** A dealership with an owner, a manager, a rep and one sending number. */
export async function campaignDealership(sql: Sql, name = "Campaign Motors"): Promise<CampaignDealership> {
  const dealershipId = await createDealership(sql, name);
  const [owner, manager, rep, number] = await Promise.all([
    createMember(sql, dealershipId, "owner"),
    createMember(sql, dealershipId, "manager"),
    createMember(sql, dealershipId, "rep"),
    createSendingNumber(sql, dealershipId),
  ]);
  return { dealershipId, owner, manager, rep, numberId: number.id, numberPhone: number.phone };
}

/** A unique valid US mobile-style number in the given area code (default Chicago, 312). */
export function phoneIn(areaCode = "312"): string {
  return `+1${areaCode}${String(randomInt(2_000_000, 10_000_000))}`;
}

/** A lead with a name and a phone; consent and status as given. */
export async function addLead(
  sql: Sql,
  dealershipId: string,
  opts: {
    phone?: string;
    firstName?: string;
    lastName?: string;
    consent?: "unknown" | "opted_in" | "opted_out";
    assignedTo?: string | null;
    vehicle?: { year?: string; make?: string; model?: string };
  } = {},
): Promise<{ id: string; phone: string }> {
  const phone = opts.phone ?? phoneIn();
  const id = await createLead(
    sql,
    dealershipId,
    {
      phone,
      firstName: opts.firstName ?? "Pat",
      lastName: opts.lastName ?? null,
      vehicleYear: opts.vehicle?.year ?? null,
      vehicleMake: opts.vehicle?.make ?? null,
      vehicleModel: opts.vehicle?.model ?? null,
    },
    opts.assignedTo ?? null,
  );
  if (opts.consent && opts.consent !== "unknown") {
    await sql`update public.leads set consent_status = ${opts.consent}, consent_source = 'fixture' where id = ${id}`;
  }
  return { id, phone };
}

/** Put a phone on the dealership's do-not-contact list. */
export async function addDoNotContact(sql: Sql, dealershipId: string, phone: string): Promise<void> {
  await sql`insert into public.do_not_contact (dealership_id, phone_bidx, source)
    values (${dealershipId}, ${blindIndex("phone", phone, dealershipId)}, 'manual')`;
}

/** Record that a message went to the lead `daysAgo` days ago (delivered). */
export async function addOutboundMessage(
  sql: Sql,
  dealershipId: string,
  leadId: string,
  numberId: string,
  daysAgo = 0,
): Promise<void> {
  const [conv] = await sql<{ id: string }[]>`
    insert into public.conversations (dealership_id, lead_id, sending_number_id) values (${dealershipId}, ${leadId}, ${numberId})
    on conflict (lead_id) do update set last_message_at = now() returning id`;
  const id = randomUUID();
  await sql`insert into public.messages (id, dealership_id, conversation_id, lead_id, direction, body_enc, status, created_at)
    values (${id}, ${dealershipId}, ${conv!.id}, ${leadId}, 'outbound', ${encryptMessageBody("Earlier text", dealershipId, id)},
            'delivered', now() - make_interval(days => ${daysAgo}))`;
}

/** The lead texts the dealership (an unread inbound message: an open conversation). */
export async function addInboundMessage(sql: Sql, dealershipId: string, numberId: string, from: string, body = "Hi") {
  return seedInboundMessage(sql, dealershipId, { sendingNumberId: numberId, from, body });
}

/** Run fn as a member in their dealership. */
export function asMember<T>(
  member: TestMember,
  dealershipId: string,
  fn: (scope: UserScope) => Promise<T>,
): Promise<T> {
  return withUser(member.claims, dealershipId, fn);
}

/** A fresh idempotency key, as the composer generates one. */
export function newIdempotencyKey(): string {
  return randomUUID().replaceAll("-", "");
}

/**
 * Create and launch a campaign as the dealership's manager; returns its id. Each dealership may
 * launch 3 a minute (the real rate limit), so tests use a dealership per campaign or two.
 */
export async function launchTestCampaign(
  d: CampaignDealership,
  opts: { template?: string; audience?: Record<string, unknown>; scheduledAt?: Date | null; name?: string } = {},
): Promise<string> {
  const { createCampaign, launchCampaign } = await import("../lib/campaigns/campaigns");
  return asMember(d.manager, d.dealershipId, async (scope) => {
    const { id } = await createCampaign(scope, {
      name: opts.name ?? "Test campaign",
      sendingNumberId: d.numberId,
      template: opts.template ?? "Hi {first_name|there}, it's {dealer_name}.",
      audience: opts.audience ?? {},
    });
    await launchCampaign(scope, { campaignId: id, idempotencyKey: newIdempotencyKey(), scheduledAt: opts.scheduledAt });
    return id;
  });
}

/** An instant at `hour`:`minute` UTC on the next Wednesday at least a day ahead (campaign clocks must not be in the past). */
export function nextWednesdayUtc(hour: number, minute = 0): Date {
  const d = new Date(Date.now() + 86_400_000);
  d.setUTCHours(hour, minute, 0, 0);
  while (d.getUTCDay() !== 3) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}
