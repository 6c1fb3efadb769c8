/**
 * GET /api/campaigns/<id>/progress: the campaign's status, pause reason and progress counts with
 * a fingerprint, polled by the campaign page every few seconds so it re-renders only on a change.
 * 404 for a campaign of another dealership or a malformed id. Its own "poll" limit, so an open
 * campaign page never eats into the 30-a-minute API budget.
 */
import { campaignParamsSchema } from "@/lib/campaigns/campaign-params.schema";
import { getCampaign } from "@/lib/campaigns/campaign-queries";
import { campaignProgressVersion } from "@/lib/campaigns/progress-version";
import { AppError } from "@/lib/server/app-error";
import { userRoute } from "@/lib/server/user-route";

export const GET = userRoute(
  { permission: "campaigns.view", params: campaignParamsSchema, rateLimit: "poll" },
  async (_req, ctx) => {
    const campaign = await ctx.run((scope) => getCampaign(scope, ctx.params.campaignId));
    if (!campaign) throw new AppError("not_found", "No such campaign.");
    return {
      status: campaign.status,
      pauseReason: campaign.pauseReason,
      progress: campaign.progress,
      rates: campaign.rates,
      version: campaignProgressVersion(campaign),
    };
  },
);
