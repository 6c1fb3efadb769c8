import { previewCsvImport } from "@/lib/leads/import/preview-import";
import { mappingForHeaders } from "@/lib/leads/import/saved-mappings";
import { scanCsvAsync } from "@/lib/leads/import/read-csv-file";
import { readImportUpload } from "@/lib/leads/import/upload-form";
import { userRoute } from "@/lib/server/user-route";

const PREVIEW_ROWS = 20;

/**
 * The review step: reads the file (content-checked, not by extension), offers the mapping saved
 * for this header shape or a suggestion, and returns the first rows with their problems.
 * Nothing is written.
 */
export const POST = userRoute({ permission: "leads.import" }, async (req, ctx) => {
  // Reached only signed in (userRoute); this route skips the middleware, so it reads its own body, capped and streamed.
  const upload = await readImportUpload(req);
  const scan = await scanCsvAsync(upload.source);
  let mapping = upload.mapping;
  let saved = false;
  if (!mapping) {
    const offered = await ctx.run((scope) => mappingForHeaders(scope, scan.headers));
    mapping = offered.mapping;
    saved = offered.saved;
  }
  const preview = previewCsvImport(upload.source, {
    scan,
    mapping,
    defaultRegion: ctx.active.region,
    limit: PREVIEW_ROWS,
  });
  return {
    fileName: upload.fileName,
    savedMapping: saved,
    headers: preview.headers,
    encoding: preview.encoding,
    delimiter: preview.delimiter,
    totalRows: preview.totalRows,
    mapping: preview.mapping,
    mappingError: preview.mappingError,
    rows: preview.rows.map((r) => ({
      rowNumber: r.rowNumber,
      cells: r.cells,
      ok: r.lead !== null,
      problems: r.problems,
    })),
  };
});
