/**
 * POST /api/closed/export/outcomes { dealershipId, mappingId?: uuid | null }: the outcome CSV of a
 * closed dealership (named by its most recently saved CRM mapping unless another is given), for
 * the owner who may reopen it, during the 30 days. Same guards as /api/closed/export; audited as
 * `data.outcomes_exported` (closed_account). Nothing in the URL.
 */
import { z } from "zod";
import { outcomeExportBody, recordClosedDealershipOutcomeExport } from "@/lib/export/outcome-export";
import { requireRecentAuth } from "@/lib/server/step-up";
import { accountRoute } from "@/lib/server/user-route";

export const dynamic = "force-dynamic";

export const POST = accountRoute(
  {
    body: z.object({
      dealershipId: z.uuid("Choose a dealership."),
      mappingId: z.uuid("Choose one of the saved column mappings.").nullish(),
    }),
  },
  async (_req, ctx) => {
    requireRecentAuth(ctx);
    const { dealershipId, mappingId } = ctx.body;
    const mapping = await ctx.run((session) =>
      recordClosedDealershipOutcomeExport(session, dealershipId, mappingId ?? null),
    );
    const day = new Date().toISOString().slice(0, 10);
    return new Response(outcomeExportBody(dealershipId, mapping), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="refireleads-outcomes-${day}.csv"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  },
);
