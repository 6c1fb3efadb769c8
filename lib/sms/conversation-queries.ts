/**
 * Read side of the inbox, inside the user's RLS-scoped transaction: owners, admins and managers
 * see the dealership's conversations, reps those of their own leads. Bodies and names are
 * decrypted here, on the server.
 */
import type { UserTx } from "@/lib/db/with-user";
import { UNREADABLE_LABEL } from "@/lib/leads/decrypt-failures";
import { decryptLeadPiiPerField } from "@/lib/leads/lead-fields";
import { decryptMessageBody } from "./message-body";

/** One row of the conversation list. */
export interface ConversationSummary {
  id: string;
  leadId: string;
  leadName: string | null;
  /** E.164; shown when the lead has no name (e.g. an unknown sender). */
  leadPhone: string | null;
  leadStatus: string;
  consentStatus: string;
  unreadCount: number;
  needsAttention: boolean;
  lastMessageAt: Date | null;
  lastMessage: { direction: "inbound" | "outbound"; preview: string; status: string } | null;
}

/** One message of a thread. */
export interface ThreadMessage {
  id: string;
  direction: "inbound" | "outbound";
  body: string;
  status: string;
  errorCode: number | null;
  segments: number | null;
  sentBy: string | null;
  autoReply: boolean;
  needsReview: boolean;
  createdAt: Date;
  readAt: Date | null;
}

const PREVIEW_CHARS = 80;

/** Conversations of the dealership, unread first, then most recent. */
export async function listConversations(tx: UserTx, dealershipId: string, opts: { limit?: number; offset?: number } = {}): Promise<ConversationSummary[]> {
  const rows = await tx`
    select c.id, c.lead_id, c.unread_count, c.needs_attention, c.last_message_at,
           l.first_name_enc, l.last_name_enc, l.phone_enc, l.status as lead_status, l.consent_status,
           m.id as m_id, m.direction as m_direction, m.body_enc as m_body_enc, m.status as m_status
    from public.conversations c
    join public.leads l on l.id = c.lead_id
    left join lateral (
      select id, direction, body_enc, status from public.messages
      where conversation_id = c.id order by created_at desc, id desc limit 1
    ) m on true
    where c.dealership_id = ${dealershipId}
    order by (c.unread_count > 0) desc, c.last_message_at desc nulls last, c.id
    limit ${opts.limit ?? 50} offset ${opts.offset ?? 0}`;
  return rows.map((r) => {
    // Field by field: one lead's bad ciphertext must not take down the whole inbox (the thread page reports it).
    const { pii, unreadable } = decryptLeadPiiPerField({
      id: r.lead_id, dealership_id: dealershipId, first_name_enc: r.first_name_enc, last_name_enc: r.last_name_enc, phone_enc: r.phone_enc,
    });
    const name = [pii.firstName, pii.lastName].filter(Boolean).join(" ") || (unreadable.length > 0 ? UNREADABLE_LABEL : null);
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
      lastMessage: r.m_id
        ? { direction: r.m_direction, preview: decryptMessageBody(r.m_body_enc, dealershipId, r.m_id).slice(0, PREVIEW_CHARS), status: r.m_status }
        : null,
    };
  });
}

/** The messages with one lead, oldest first (the latest `limit`). */
export async function listThreadMessages(tx: UserTx, dealershipId: string, leadId: string, limit = 200): Promise<ThreadMessage[]> {
  const rows = await tx`
    select * from (
      select id, direction, body_enc, status, error_code, segments, sent_by, auto_reply, needs_review, created_at, read_at
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
  }));
}

/** Mark a conversation read (clears its unread count and attention flag). */
export async function markConversationRead(tx: UserTx, conversationId: string): Promise<void> {
  await tx`select public.mark_conversation_read(${conversationId})`;
}
