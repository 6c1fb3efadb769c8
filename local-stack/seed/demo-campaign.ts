/**
 * A finished demo campaign for Northside, so a newcomer's first look at the dashboard, the inbox
 * and the campaign page shows the product alive: two days ago it texted 21 dormant leads (one left
 * out as a landline, one failed), 19 were delivered, and a dozen answered: interested, not now,
 * wrong number, an appointment, a question and a STOP (which opted that lead out, as the real
 * webhook would). Some threads were answered by the team and are still going; others are unread.
 *
 * Written as the superuser through the same tables the campaign worker and the webhooks write
 * (campaigns, campaign_recipients, messages with campaign_id, conversations), bodies encrypted
 * with the app's own helpers. Leaves alone the demo leads that e2e specs text (555-0121..0131,
 * 555-0142): a spec must find them as the lead seed made them.
 */
import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import { mergeValuesFor } from "../../lib/campaigns/merge-values";
import { parseTemplate, renderTemplate } from "../../lib/campaigns/message-template";
import { blindIndex } from "../../lib/crypto/blind-index";
import { encryptField } from "../../lib/crypto/field-cipher";
import type { Keyring } from "../../lib/crypto/keyring";
import { countSmsSegments } from "../../lib/sms/segments";
import { newMessageSid } from "../twilio/message-store";
import { demoLeads } from "./demo-data";

export const DEMO_CAMPAIGN_NAME = "Trade-in event (demo)";

const TEMPLATE =
  "Hi {first_name|there}, it's {rep_name|the team} at {dealer_name}. Trade-in values are up this month: " +
  "want a quick number for your {vehicle|car}?";

/** Demo lead indexes (phone +1 312 555 01<index>) the campaign went to: "new" and "lost" leads no spec uses. */
const RECIPIENTS = [0, 1, 2, 6, 7, 8, 9, 13, 14, 15, 16, 20, 34, 35, 36, 37, 41, 43, 44, 48, 49];
/** Left out at launch: Twilio had told us earlier that this number is a landline. */
const LANDLINE = 9;
/** Sent, and failed: the handset was unreachable. */
const FAILED = 44;

type Reply = { at: number; text: string; staff?: { at: number; text: string; by: "manager" | "rep" }; again?: string };
/** Replies by lead index: minutes after the launch, the lead's words, and how the team answered. */
const REPLIES: Record<number, Reply> = {
  0: {
    at: 14,
    text: "Yes! What would you give me for it?",
    staff: { at: 31, text: "Great! Can you come by Saturday for a 15-minute appraisal?", by: "rep" },
    again: "Saturday at 10 works.",
  },
  1: { at: 22, text: "Not right now, maybe in the spring." },
  2: {
    at: 38,
    text: "Interested. Is the offer good on leases too?",
    staff: { at: 55, text: "It is! I'll send you the numbers this afternoon.", by: "rep" },
  },
  6: { at: 47, text: "Wrong number, I don't own a car." },
  7: { at: 63, text: "STOP" },
  8: {
    at: 75,
    text: "Sure, call me after 5pm",
    staff: { at: 90, text: "Will do. Talk tonight!", by: "rep" },
    again: "Thanks, talk then",
  },
  13: { at: 96, text: "Not now thanks, just bought one." },
  14: { at: 118, text: "How much is my 2019 worth roughly?" },
  16: { at: 160, text: "Who is this?? Wrong number" },
  20: { at: 205, text: "I'm interested, what are your hours?" },
  34: {
    at: 250,
    text: "Can I book an appointment for Tuesday?",
    staff: { at: 262, text: "Booked you for Tuesday 11am. See you then!", by: "manager" },
  },
  41: { at: 310, text: "Maybe next month." },
};

const sid = () => newMessageSid();
const minutes = (base: Date, m: number) => new Date(base.getTime() + m * 60_000);

/** Seed Northside's demo campaign unless Northside already has a campaign. */
export async function seedDemoCampaign(sql: Sql, keyring: Keyring, log: (m: string) => void): Promise<void> {
  const [northside] = await sql<{ id: string; name: string }[]>`
    select id, name from public.dealerships where name = 'Northside Motors'`;
  if (!northside) return;
  const dealershipId = northside.id;
  const [existing] = await sql`select 1 from public.campaigns where dealership_id = ${dealershipId} limit 1`;
  if (existing) return;
  const [number] = await sql<{ id: string }[]>`
    select id from public.sending_numbers where dealership_id = ${dealershipId} order by created_at, id limit 1`;
  if (!number) return;
  const members = await sql<{ role: string; user_id: string; display_name: string | null }[]>`
    select m.role::text as role, m.user_id, u.raw_user_meta_data ->> 'display_name' as display_name
    from public.memberships m join auth.users u on u.id = m.user_id
    where m.dealership_id = ${dealershipId} and m.role in ('manager', 'rep')`;
  const userOf = (role: string) => members.find((m) => m.role === role);
  const manager = userOf("manager");
  const rep = userOf("rep");
  if (!manager || !rep) return;

  const leads = demoLeads(50, "312", 0);
  const byBidx = new Map(
    RECIPIENTS.map((i) => [blindIndex("phone", leads[i]!.pii.phone!, dealershipId, keyring), i] as const),
  );
  const rows = await sql<{ id: string; phone_bidx: string; assigned_to: string | null }[]>`
    select id, phone_bidx, assigned_to from public.leads
    where dealership_id = ${dealershipId} and phone_bidx in ${sql([...byBidx.keys()])}`;
  const leadIdOf = new Map(rows.map((r) => [byBidx.get(r.phone_bidx)!, r] as const));
  if (leadIdOf.size !== RECIPIENTS.length) return; // Not the seed's leads (edited by hand): leave it.

  const parsed = parseTemplate(TEMPLATE);
  if (!parsed.ok) throw new Error("demo campaign template does not parse");
  // Two days ago at 16:00 UTC (10:00 in Chicago): inside every US recipient's legal window.
  const launchedAt = new Date(Date.now() - 2 * 86_400_000);
  launchedAt.setUTCHours(16, 0, 0, 0);
  const campaignId = randomUUID();
  const body = (messageId: string, text: string) =>
    encryptField(text, { dealershipId, table: "messages", column: "body_enc", rowId: messageId }, keyring);

  await sql.begin(async (tx) => {
    await tx`
      insert into public.campaigns (id, dealership_id, name, sending_number_id, template, audience, status,
        launched_at, launched_by, idempotency_key, launch_counts, created_by, created_at, completed_at)
      values (${campaignId}, ${dealershipId}, ${DEMO_CAMPAIGN_NAME}, ${number.id}, ${TEMPLATE},
        ${tx.json({ status: ["new", "lost"], inactiveDays: 30 })}, 'completed', ${launchedAt}, ${manager.user_id},
        ${`demo-${campaignId}`}, ${tx.json({ enqueued: RECIPIENTS.length - 1, excluded: { landline: 1 } })},
        ${manager.user_id}, ${minutes(launchedAt, -25)}, ${minutes(launchedAt, 20)})`;
    await tx`
      update public.leads set phone_mark = 'landline', phone_mark_code = 30006, phone_marked_at = ${minutes(launchedAt, -60 * 24 * 30)}
      where id = ${leadIdOf.get(LANDLINE)!.id}`;

    for (const [n, i] of RECIPIENTS.entries()) {
      const lead = leadIdOf.get(i)!;
      if (i === LANDLINE) {
        await tx`
          insert into public.campaign_recipients (campaign_id, dealership_id, lead_id, status, skip_reason, next_attempt_at, created_at)
          values (${campaignId}, ${dealershipId}, ${lead.id}, 'skipped', 'landline', ${launchedAt}, ${launchedAt})`;
        continue;
      }
      // One send every 40 seconds (the long code's throttle), delivered a few seconds later.
      const sentAt = new Date(launchedAt.getTime() + n * 40_000);
      const deliveredAt = new Date(sentAt.getTime() + 4_000);
      const failed = i === FAILED;
      const rendered = renderTemplate(
        parsed.template,
        mergeValuesFor(leads[i]!.pii, northside.name, lead.assigned_to === rep.user_id ? rep.display_name : null),
        { firstMessage: true },
      );
      const conversationId = randomUUID();
      const outId = randomUUID();
      const reply = REPLIES[i];
      const thread: { id: string; at: Date; dir: "inbound" | "outbound"; text: string; by?: string }[] = [];
      if (reply) {
        thread.push({ id: randomUUID(), at: minutes(launchedAt, reply.at), dir: "inbound", text: reply.text });
        if (reply.staff)
          thread.push({
            id: randomUUID(),
            at: minutes(launchedAt, reply.staff.at),
            dir: "outbound",
            text: reply.staff.text,
            by: reply.staff.by === "rep" ? rep.user_id : manager.user_id,
          });
        if (reply.again)
          thread.push({
            id: randomUUID(),
            at: minutes(launchedAt, (reply.staff?.at ?? reply.at) + 12),
            dir: "inbound",
            text: reply.again,
          });
      }
      const last = thread.at(-1)?.at ?? sentAt;
      const lastInbound = thread.filter((m) => m.dir === "inbound").at(-1)?.at ?? null;
      // Unread: the lead wrote last and nobody has answered yet.
      const unread = thread.at(-1)?.dir === "inbound" ? 1 : 0;
      await tx`
        insert into public.conversations (id, dealership_id, lead_id, sending_number_id, last_message_at, last_inbound_at,
          unread_count, created_at)
        values (${conversationId}, ${dealershipId}, ${lead.id}, ${number.id}, ${last}, ${lastInbound}, ${unread}, ${sentAt})`;
      await tx`
        insert into public.messages (id, dealership_id, conversation_id, lead_id, direction, body_enc, twilio_sid, status,
          status_updated_at, error_code, segments, campaign_id, created_at)
        values (${outId}, ${dealershipId}, ${conversationId}, ${lead.id}, 'outbound', ${body(outId, rendered.body)}, ${sid()},
          ${failed ? "undelivered" : "delivered"}, ${deliveredAt}, ${failed ? 30003 : null}, ${rendered.segments.segments},
          ${campaignId}, ${sentAt})`;
      for (const m of thread) {
        await tx`
          insert into public.messages (id, dealership_id, conversation_id, lead_id, direction, body_enc, twilio_sid, status,
            status_updated_at, segments, sent_by, campaign_id, created_at, read_at)
          values (${m.id}, ${dealershipId}, ${conversationId}, ${lead.id}, ${m.dir}, ${body(m.id, m.text)}, ${sid()},
            ${m.dir === "inbound" ? "received" : "delivered"}, ${m.at}, ${countSmsSegments(m.text).segments},
            ${m.by ?? null}, ${m.dir === "inbound" ? campaignId : null}, ${m.at},
            ${m.dir === "inbound" && m.at < last ? last : null})`;
      }
      const firstReply = thread.find((m) => m.dir === "inbound");
      const optedOut = reply?.text === "STOP";
      await tx`
        insert into public.campaign_recipients (campaign_id, dealership_id, lead_id, status, attempts, next_attempt_at,
          message_id, sent_at, delivered_at, error_code, failure_kind, replied_at, opted_out_at, created_at, updated_at)
        values (${campaignId}, ${dealershipId}, ${lead.id}, ${failed ? "failed" : "delivered"}, 1, ${sentAt}, ${outId},
          ${sentAt}, ${failed ? null : deliveredAt}, ${failed ? 30003 : null}, ${failed ? "permanent" : null},
          ${firstReply?.at ?? null}, ${optedOut ? firstReply!.at : null}, ${launchedAt}, ${last})`;
      if (optedOut) {
        // As the inbound webhook does for a STOP: consent history and audit through the same function.
        await tx`select private.opt_out_lead(${lead.id}, 'sms_keyword:STOP')`;
      } else if (firstReply) {
        // A reply brings a new lead to life (the webhook's rule).
        await tx`
          update public.leads set last_activity_at = ${last},
            status = case when status = 'new' then 'engaged'::public.lead_status else status end
          where id = ${lead.id}`;
      }
    }
    await tx`
      insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata, created_at)
      values (${dealershipId}, ${manager.user_id}, 'campaign.launched', 'campaign', ${campaignId},
        ${tx.json({ enqueued: RECIPIENTS.length - 1, excluded: { landline: 1 } })}, ${launchedAt})`;
  });
  log(`seeded the demo campaign "${DEMO_CAMPAIGN_NAME}" for Northside Motors`);
}
