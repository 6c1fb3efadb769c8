/**
 * POST /api/audit/export { actor?, action?, from?, to? }: the dealership's audit log, filtered as
 * on the page, as one CSV, streamed. Owners and admins (audit.view); the download is recorded in
 * the log (with its filters) before the first byte. The filters travel in the body; they hold ids,
 * action names and dates only.
 */
import { auditLogCsvBody, recordAuditExport } from "@/lib/audit/audit-export";
import { auditExportBodySchema } from "@/lib/audit/audit-filters.schema";
import { userRoute } from "@/lib/server/user-route";

export const dynamic = "force-dynamic";

export const POST = userRoute({ permission: "audit.view", body: auditExportBodySchema }, async (_req, ctx) => {
  await ctx.run((scope) => recordAuditExport(scope, ctx.body));
  const day = new Date().toISOString().slice(0, 10);
  return new Response(auditLogCsvBody(ctx.run, ctx.body), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="refireleads-audit-log-${day}.csv"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
