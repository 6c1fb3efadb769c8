/**
 * POST /api/export { format: "csv" | "json" }: the dealership's data as a ZIP, streamed. Owners
 * and admins (data.export) who re-authenticated in the last 5 minutes; recorded in the audit log
 * before the first byte. The body, not the URL, carries the request; the file name holds no PII.
 */
import { z } from "zod";
import { dealershipExportBody, recordDataExport } from "@/lib/export/dealership-export";
import { requireRecentAuth } from "@/lib/server/step-up";
import { userRoute } from "@/lib/server/user-route";

export const dynamic = "force-dynamic";

export const POST = userRoute(
  { permission: "data.export", body: z.object({ format: z.enum(["csv", "json"]).default("csv") }) },
  async (_req, ctx) => {
    requireRecentAuth(ctx);
    const { format } = ctx.body;
    // Checks permission and recent re-authentication again in the database, and audits.
    await ctx.run((scope) => recordDataExport(scope, format));
    const day = new Date().toISOString().slice(0, 10);
    return new Response(dealershipExportBody(ctx.active.dealershipId, format), {
      headers: {
        "content-type": "application/zip",
        "content-disposition": `attachment; filename="refireleads-export-${day}-${format}.zip"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  },
);
