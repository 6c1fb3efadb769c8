import { importLeadsFromCsv, type ImportProgress } from "@/lib/leads/import/import-leads";
import { scanCsvAsync } from "@/lib/leads/import/read-csv-file";
import { mappingForHeaders } from "@/lib/leads/import/saved-mappings";
import { readImportUpload } from "@/lib/leads/import/upload-form";
import { toAppError } from "@/lib/server/app-error";
import { userRoute } from "@/lib/server/user-route";

/** Leave room for a 250,000-row file on a slow serverless instance. */
export const maxDuration = 300;

/**
 * Runs an import and streams its progress as NDJSON lines:
 * {"type":"progress",...} … then {"type":"done","summary":…} or {"type":"error","message":…}.
 * The rejected rows come back in the final line as a CSV for the browser to offer as a download;
 * they are never stored (they hold personal data the import did not encrypt).
 */
export const POST = userRoute({ permission: "leads.import" }, async (req, ctx) => {
  // Reached only signed in (userRoute); this route skips the middleware, so it reads its own body, capped and streamed.
  const upload = await readImportUpload(req);
  // A client that skipped the review step gets the mapping the review would have offered.
  let mapping = upload.mapping;
  if (!mapping) {
    const { headers } = await scanCsvAsync(upload.source); // outside the transaction: it reads the whole file
    mapping = (await ctx.run((scope) => mappingForHeaders(scope, headers))).mapping;
  }
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const send = (line: unknown) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
        } catch {
          // The browser went away; the import still finishes and its record tells the outcome.
          open = false;
        }
      };
      let last = 0;
      const onProgress = (p: ImportProgress) => {
        const now = Date.now();
        if (p.phase !== "completed" && now - last < 100) return;
        last = now;
        send({ type: "progress", ...p });
      };
      try {
        const summary = await importLeadsFromCsv({
          run: ctx.run,
          source: upload.source,
          fileName: upload.fileName,
          mapping,
          onProgress,
        });
        send({
          type: "done",
          summary: {
            importId: summary.importId,
            counts: summary.counts,
            warnings: summary.warnings.slice(0, 50),
            warningCount: summary.warningCount,
            unmatchedSalespeople: summary.unmatchedSalespeople,
            rejectedCount: summary.rejected.length,
            rejectsCsv: summary.rejected.length ? summary.rejectsCsv() : null,
            durationMs: Math.round(summary.durationMs),
          },
        });
      } catch (err) {
        send({ type: "error", message: toAppError(err).message });
      } finally {
        if (open) controller.close();
      }
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
