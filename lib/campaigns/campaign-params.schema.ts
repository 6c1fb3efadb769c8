/**
 * The one schema for a campaign id in a URL (the campaign page and its API routes). A malformed id
 * is treated like an id the user cannot see: 404.
 */
import { z } from "zod";

/** `params` of the `[campaignId]` routes. */
export const campaignParamsSchema = z.object({ campaignId: z.uuid() });
