/**
 * POST /api/campaigns/audience `{ audience }`: the composer's live count, how many leads the filter
 * reaches and how many are left out by reason. POST, so nothing of the filter lands in a URL or a
 * log. Counted against the "poll" limit (the composer asks as filters change), apart from the
 * 30-a-minute API budget.
 */
import { z } from "zod";
import { campaignAudienceSchema, countAudience } from "@/lib/campaigns/audience";
import { userRoute } from "@/lib/server/user-route";

const bodySchema = z.object({ audience: campaignAudienceSchema });

export const POST = userRoute(
  { permission: "campaigns.manage", body: bodySchema, rateLimit: "poll" },
  async (_req, ctx) => ctx.run((scope) => countAudience(scope, ctx.body.audience)),
);
