import { leadParamsSchema } from "@/lib/leads/lead-params.schema";
import { getLead } from "@/lib/leads/lead-queries";
import { AppError } from "@/lib/server/app-error";
import { userRoute } from "@/lib/server/user-route";

/** One lead of the active dealership; 404 for anything RLS hides (another tenant, another rep). */
export const GET = userRoute({ params: leadParamsSchema }, async (_req, ctx) => {
  const lead = await ctx.run((scope) => getLead(scope, ctx.params.leadId));
  if (!lead) throw new AppError("not_found", "No such lead.");
  return { lead };
});
