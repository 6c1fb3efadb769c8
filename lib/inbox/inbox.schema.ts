/**
 * Inputs of the inbox's actions and routes. Only ids and statuses travel in URLs; message bodies
 * are posted.
 */
import { z } from "zod";
import { LEAD_STATUSES } from "@/lib/leads/lead-status";
import { leadIdSchema } from "@/lib/leads/lead-params.schema";
import { MAX_BODY_CHARS } from "@/lib/sms/message-limits";
import { INTENTS, intentSchema } from "@/lib/triage/intents";

/** The reply box. */
export const replySchema = z.object({
  leadId: leadIdSchema,
  body: z
    .string()
    .trim()
    .min(1, "Type a message first.")
    .max(MAX_BODY_CHARS, `A text can be at most ${MAX_BODY_CHARS} characters.`),
});

/** The lead status picker of the thread. */
export const leadStatusSchema = z.object({
  leadId: leadIdSchema,
  status: z.enum(LEAD_STATUSES),
  /** The lead's version when the thread was rendered (optimistic concurrency). */
  version: z.coerce.number().int().min(1).max(2_147_483_647),
});

/** The polling route's query string. */
export const inboxChangesQuery = z.object({
  lead: leadIdSchema.optional(),
});

/** The inbox's list filter (query string; intents are not personal data). Anything unknown is ignored. */
export const inboxFilterQuery = z.object({
  /** "needs_person" (the queue) or one intent. */
  show: z
    .enum(["needs_person", ...INTENTS])
    .optional()
    .catch(undefined),
  sort: z.enum(["recent", "intent"]).optional().catch(undefined),
});

export type InboxFilter = z.infer<typeof inboxFilterQuery>;

/** The filter of a page's search params (first value of each; invalid ones dropped). */
export function inboxFilterFrom(searchParams: Record<string, string | string[] | undefined>): InboxFilter {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return inboxFilterQuery.parse({ show: first(searchParams.show), sort: first(searchParams.sort) });
}

/** The filter as a query string ("" when none), for links that keep it. */
export function inboxFilterQueryString(filter: InboxFilter): string {
  const params = new URLSearchParams();
  if (filter.show) params.set("show", filter.show);
  if (filter.sort && filter.sort !== "recent") params.set("sort", filter.sort);
  const q = params.toString();
  return q ? `?${q}` : "";
}

/** One click in the thread: this reply's intent is another one. */
export const correctIntentSchema = z.object({
  leadId: leadIdSchema,
  messageId: z.uuid(),
  intent: intentSchema,
});

/** Confirm the visit an appointment reply proposed. */
export const confirmAppointmentSchema = z.object({
  leadId: leadIdSchema,
  messageId: z.uuid(),
});
