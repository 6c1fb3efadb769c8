/**
 * `params` of the operator's support pages (/operator/support/[dealershipId]/...). A malformed id
 * is a 404, like any id the viewer cannot see.
 */
import { z } from "zod";
import { leadIdSchema } from "@/lib/leads/lead-params.schema";

export const supportParamsSchema = z.object({ dealershipId: z.uuid() });

export const supportLeadParamsSchema = supportParamsSchema.extend({ leadId: leadIdSchema });

/** `?page=` of the support leads list (1-based; anything else is page 1). */
export const supportListQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
