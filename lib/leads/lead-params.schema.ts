/**
 * The one schema for a lead id in a URL (pages and API routes). A malformed id is treated like an
 * id the user cannot see: 404.
 */
import { z } from "zod";

export const leadIdSchema = z.uuid();

/** `params` of the `[leadId]` routes. */
export const leadParamsSchema = z.object({ leadId: leadIdSchema });
