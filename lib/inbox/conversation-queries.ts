/**
 * Read side of the inbox, inside the user's RLS-scoped transaction: owners, admins and managers
 * see the dealership's conversations, reps those of their own leads. Bodies and names are
 * decrypted here, on the server. Marking a thread read is a write, so it is done by an action
 * the open thread calls, never while a page renders.
 */
import type { ReadScope, UserScope } from "@/lib/db/scope";
import { UNREADABLE_LABEL } from "@/lib/leads/decrypt-failures";
import { decryptLeadPiiPerField } from "@/lib/leads/lead-fields";
import type { ConsentStatus, LeadStatus } from "@/lib/leads/lead-status";
import { decryptMessageBody } from "@/lib/sms/message-body";
import { INTENTS, NEEDS_PERSON_INTENTS, type Intent } from "@/lib/triage/intents";

type Direction = "inbound" | "outbound";

/** One row of the conversation list. */
export interface ConversationSummary {
  id: string;
  leadId: string;
  leadName: string | null;
  /** E.164; shown when the lead has no name (e.g. an unknown sender). */
  leadPhone: string | null;
  leadStatus: LeadStatus;
  consentStatus: ConsentStatus;
  unreadCount: number;
  needsAttention: boolean;
  lastMessageAt: Date | null;
  lastMessage: { direction: Direction; preview: string; status: string } | null;
  /** The intent of the lead's latest reply (null before any, or before triage existed). */
  lastIntent: Intent | null;
}

/** One message of a thread. */
export interface ThreadMessage {
  id: string;
  direction: Direction;
  body: string;
  status: string;
  errorCode: number | null;
  segments: number | null;
  sentBy: string | null;
  autoReply: boolean;
  needsReview: boolean;
  createdAt: Date;
  readAt: Date | null;
  /** Reply triage of an inbound message (null for outbound ones and untriaged replies). */
  intent: Intent | null;
  intentConfidence: number | null;
  intentDate: Date | null;
  intentSource: "rule" | "model" | "llm" | "staff" | null;
}

const PREVIEW_CHARS = 80;

interface ConversationRow {
  id: string;
  lead_id: string;
  unread_count: number;
  needs_attention: boolean;
  last_message_at: Date | null;
  last_intent: Intent | null;
  pii_enc: string | null;
  first_name_enc: string | null;
  last_name_enc: string | null;
  phone_enc: string | null;
  lead_status: LeadStatus;
  consent_status: ConsentStatus;
  m_id: string | null;
  m_direction: Direction | null;
  m_body_enc: string | null;
  m_status: string | null;
}

/** Which conversations the inbox lists, and in what order (from the URL; intents are not personal data). */
export interface ConversationFilter {
  /** One intent of the latest reply, or "needs_person": appointment, call_me, question, hostile, interested. */
  show?: Intent | "needs_person";
  /** "recent" (default: unread first, then newest) or "intent" (by intent priority, then newest). */
  sort?: "recent" | "intent";
}

/** Conversations of the dealership, unread first, then most recent (or as the filter says). */
export async function listConversations(
  { sql, dealershipId }: UserScope,
  opts: { limit?: number; offset?: number } & ConversationFilter = {},
): Promise<ConversationSummary[]> {
  const intents: readonly Intent[] | null =
    opts.show === "needs_person" ? NEEDS_PERSON_INTENTS : opts.show ? [opts.show] : null;
  const byIntent = opts.sort === "intent";
  const rows = await sql<ConversationRow[]>`
    select c.id, c.lead_id, c.unread_count, c.needs_attention, c.last_message_at, c.last_intent,
           l.pii_enc, l.first_name_enc, l.last_name_enc, l.phone_enc, l.status as lead_status, l.consent_status,
           m.id as m_id, m.direction as m_direction, m.body_enc as m_body_enc, m.status as m_status
    from public.conversations c
    join public.leads l on l.id = c.lead_id
    left join lateral (
      select id, direction, body_enc, status from public.messages
      where conversation_id = c.id order by created_at desc, id desc limit 1
    ) m on true
    where c.dealership_id = ${dealershipId}
      ${intents ? sql`and c.last_intent::text = any(${intents as string[]}::text[])` : sql``}
    order by ${byIntent ? sql`array_position(${INTENTS as unknown as string[]}::text[], c.last_intent::text) nulls last,` : sql``}
             (c.unread_count > 0) desc, c.last_message_at desc nulls last, c.id
    limit ${opts.limit ?? 50} offset ${opts.offset ?? 0}`;
  return rows.map((r) => {
    // Field by field: one lead's bad ciphertext must not take down the whole inbox (the thread page reports it).
    const { pii, unreadable } = decryptLeadPiiPerField({
      id: r.lead_id,
      dealership_id: dealershipId,
      pii_enc: r.pii_enc,
      first_name_enc: r.first_name_enc,
      last_name_enc: r.last_name_enc,
      phone_enc: r.phone_enc,
    });
    const name =
      [pii.firstName, pii.lastName].filter(Boolean).join(" ") || (unreadable.length > 0 ? UNREADABLE_LABEL : null);
    return {
      id: r.id,
      leadId: r.lead_id,
      leadName: name,
      leadPhone: pii.phone ?? null,
      leadStatus: r.lead_status,
      consentStatus: r.consent_status,
      unreadCount: r.unread_count,
      needsAttention: r.needs_attention,
      lastMessageAt: r.last_message_at,
      lastIntent: r.last_intent,
      lastMessage:
        r.m_id && r.m_direction && r.m_body_enc && r.m_status
          ? {
              direction: r.m_direction,
              preview: decryptMessageBody(r.m_body_enc, dealershipId, r.m_id).slice(0, PREVIEW_CHARS),
              status: r.m_status,
            }
          : null,
    };
  });
}

interface MessageRow {
  id: string;
  direction: Direction;
  body_enc: string;
  status: string;
  error_code: number | null;
  segments: number | null;
  sent_by: string | null;
  auto_reply: boolean;
  needs_review: boolean;
  created_at: Date;
  read_at: Date | null;
  intent: Intent | null;
  intent_confidence: number | null;
  intent_date: Date | null;
  intent_source: ThreadMessage["intentSource"];
}

/** The messages with one lead, oldest first (the latest `limit`). */
export async function listThreadMessages(
  { sql, dealershipId }: ReadScope,
  leadId: string,
  limit = 200,
): Promise<ThreadMessage[]> {
  const rows = await sql<MessageRow[]>`
    select * from (
      select id, direction, body_enc, status, error_code, segments, sent_by, auto_reply, needs_review, created_at, read_at,
             intent, intent_confidence, intent_date, intent_source
      from public.messages where dealership_id = ${dealershipId} and lead_id = ${leadId}
      order by created_at desc, id desc limit ${limit}
    ) t order by created_at, id`;
  return rows.map((r) => ({
    id: r.id,
    direction: r.direction,
    body: decryptMessageBody(r.body_enc, dealershipId, r.id),
    status: r.status,
    errorCode: r.error_code,
    segments: r.segments,
    sentBy: r.sent_by,
    autoReply: r.auto_reply,
    needsReview: r.needs_review,
    createdAt: r.created_at,
    readAt: r.read_at,
    intent: r.intent,
    intentConfidence: r.intent_confidence,
    intentDate: r.intent_date,
    intentSource: r.intent_source,
  }));
}

/** Mark a conversation read (clears its unread count and attention flag). */
export async function markConversationRead({ sql }: UserScope, conversationId: string): Promise<void> {
  await sql`select public.mark_conversation_read(${conversationId})`;
}

/**
 * Mark the conversation with a lead read, if it has anything unread or flagged; returns whether
 * it changed. A lead the user cannot see (or with no conversation yet) changes nothing.
 */
export async function markThreadRead(scope: UserScope, leadId: string): Promise<boolean> {
  const [c] = await scope.sql<{ id: string; unread_count: number; needs_attention: boolean }[]>`
    select id, unread_count, needs_attention from public.conversations
    where dealership_id = ${scope.dealershipId} and lead_id = ${leadId}`;
  if (!c || (c.unread_count === 0 && !c.needs_attention)) return false;
  await markConversationRead(scope, c.id);
  return true;
}
