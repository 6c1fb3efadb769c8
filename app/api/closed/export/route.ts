/**
 * POST /api/closed/export { dealershipId, format: "csv" | "json" }: a closed dealership's data as
 * the same ZIP Settings → Your data gives, for the owner who may reopen it, during the 30 days
 * before the purge (the /closed page). Re-authentication within 5 minutes; the database checks
 * who may, the closure and the date, and writes `data.exported` (closed_account) before the first
 * byte. The rows are read by the `exporter` role, as for an open dealership. Nothing in the URL.
 */
import { z } from "zod";
import { dealershipExportBody, recordClosedDealershipExport } from "@/lib/export/dealership-export";
import { requireRecentAuth } from "@/lib/server/step-up";
import { accountRoute } from "@/lib/server/user-route";

export const dynamic = "force-dynamic";

export const POST = accountRoute(
  {
    body: z.object({
      dealershipId: z.uuid("Choose a dealership."),
      format: z.enum(["csv", "json"]).default("csv"),
    }),
  },
  async (_req, ctx) => {
    requireRecentAuth(ctx);
    const { dealershipId, format } = ctx.body;
    await ctx.run((session) => recordClosedDealershipExport(session, dealershipId, format));
    const day = new Date().toISOString().slice(0, 10);
    return new Response(dealershipExportBody(dealershipId, format), {
      headers: {
        "content-type": "application/zip",
        "content-disposition": `attachment; filename="refireleads-export-${day}-${format}.zip"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  },
);
