/**
 * POST /api/export/outcomes { mappingId?: uuid | null }: the leads with their outcome as one CSV,
 * its identifying columns named by the dealership's saved CRM mapping, streamed. Owners and admins
 * (data.export) who re-authenticated in the last 5 minutes; recorded in the audit log before the
 * first byte. The body, not the URL, carries the request; the file name holds no PII.
 */
import { z } from "zod";
import { outcomeExportBody, recordOutcomeExport } from "@/lib/export/outcome-export";
import { requireRecentAuth } from "@/lib/server/step-up";
import { userRoute } from "@/lib/server/user-route";

export const dynamic = "force-dynamic";

export const POST = userRoute(
  {
    permission: "data.export",
    body: z.object({ mappingId: z.uuid("Choose one of the saved column mappings.").nullish() }),
  },
  async (_req, ctx) => {
    requireRecentAuth(ctx);
    // Checks permission and recent re-authentication again in the database, audits, picks the mapping.
    const mapping = await ctx.run((scope) => recordOutcomeExport(scope, ctx.body.mappingId ?? null));
    const day = new Date().toISOString().slice(0, 10);
    return new Response(outcomeExportBody(ctx.active.dealershipId, mapping), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="refireleads-outcomes-${day}.csv"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  },
);
