import { z } from "zod";
import { getLead } from "@/lib/leads/lead-queries";
import { AppError } from "@/lib/server/app-error";
import { userRoute } from "@/lib/server/user-route";

/** One lead of the active dealership; 404 for anything RLS hides (another tenant, another rep). */
export const GET = userRoute<{ leadId: string }>({}, async (_req, ctx) => {
  const leadId = z.uuid().safeParse(ctx.params.leadId);
  if (!leadId.success) throw new AppError("not_found", "No such lead.");
  const lead = await ctx.run((tx) => getLead(tx, ctx.active.dealershipId, leadId.data));
  if (!lead) throw new AppError("not_found", "No such lead.");
  return { lead };
});
