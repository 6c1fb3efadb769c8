/**
 * Inputs of the inbox's actions and routes. Only ids and statuses travel in URLs; message bodies
 * are posted.
 */
import { z } from "zod";
import { LEAD_STATUSES } from "@/lib/leads/lead-status";
import { leadIdSchema } from "@/lib/leads/lead-params.schema";
import { MAX_BODY_CHARS } from "@/lib/sms/message-limits";

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
