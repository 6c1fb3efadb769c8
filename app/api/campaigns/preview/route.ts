/**
 * POST /api/campaigns/preview `{ audience, template }`: the message rendered for a few real leads
 * of the audience, decrypted on the server, each with its segments and encoding. The leads' data
 * travels only in this response body (never in a URL); a template with errors is a 422 listing
 * them with their positions.
 */
import { z } from "zod";
import { campaignAudienceSchema, previewAudience } from "@/lib/campaigns/audience";
import { MAX_BODY_CHARS } from "@/lib/sms/message-limits";
import { userRoute } from "@/lib/server/user-route";

const PREVIEW_LEADS = 5;

const bodySchema = z.object({
  audience: campaignAudienceSchema,
  template: z.string().max(MAX_BODY_CHARS * 2, "The message is far too long"),
});

export const POST = userRoute(
  { permission: "campaigns.manage", body: bodySchema, rateLimit: "poll" },
  async (_req, ctx) => {
    const previews = await ctx.run((scope) =>
      previewAudience(scope, ctx.body.audience, ctx.body.template, PREVIEW_LEADS),
    );
    return {
      previews: previews.map((p) => ({
        leadId: p.leadId,
        body: p.body,
        segments: p.segments,
        firstMessage: p.firstMessage,
        footerAdded: p.footerAdded,
        tooLong: p.tooLong,
      })),
    };
  },
);
