/**
 * The audit log as CSV, filtered as on the page: the same CSV rules as the data export (UTF-8 with
 * BOM, formula cells neutralized), streamed (a cursor in the user's own transaction, so RLS
 * decides, -> CSV -> response, each stage waiting for the next) and itself recorded in the log
 * (`audit.exported`, with the filters, before the first byte).
 */
import { PassThrough, Readable } from "node:stream";
import type { RunInScope, UserScope } from "@/lib/db/scope";
import { csvCell, csvLine, UTF8_BOM } from "@/lib/export/csv-cell";
import { writeChunk } from "@/lib/export/write-chunk";
import { actorLabel, auditFilterCondition, memberEmails } from "./audit-events";
import type { AuditFilterValues } from "./audit-filters.schema";

const CURSOR_ROWS = 500;

const HEADER = [
  "position",
  "created_at_utc",
  "actor_user_id",
  "actor",
  "action",
  "target_type",
  "target_id",
  "metadata",
  "row_hash",
];

/** Record, as the signed-in user, that they download the log with these filters (audit.view, checked by the database). */
export async function recordAuditExport({ sql, dealershipId }: UserScope, filters: AuditFilterValues): Promise<void> {
  const defined = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined));
  await sql`select public.record_audit_export(${dealershipId}, ${sql.json(defined)})`;
}

/**
 * Stream the filtered log as CSV, oldest first (the chain's order), in one transaction of the
 * user's (`run`, e.g. ctx.run). A failure mid-way destroys the stream, so a partial download
 * never looks complete.
 */
export function streamAuditLogCsv(run: RunInScope<UserScope>, filters: AuditFilterValues): Readable {
  const out = new PassThrough({ highWaterMark: 256 * 1024 });
  run(async (scope) => {
    const { sql, dealershipId } = scope;
    const emails = await memberEmails(scope);
    await writeChunk(out, UTF8_BOM + csvLine(HEADER.map((h) => csvCell(h))));
    const cursor = sql<
      {
        chain_seq: string;
        created_at: Date;
        actor_user_id: string | null;
        action: string;
        target_type: string | null;
        target_id: string | null;
        metadata: Record<string, unknown>;
        row_hash: string;
      }[]
    >`select chain_seq::text, created_at, actor_user_id, action, target_type, target_id, metadata,
             encode(row_hash, 'hex') as row_hash
      from public.audit_events e where ${auditFilterCondition(sql, dealershipId, filters)}
      order by e.chain_seq`.cursor(CURSOR_ROWS);
    for await (const batch of cursor) {
      let chunk = "";
      for (const r of batch) {
        chunk += csvLine(
          [
            r.chain_seq,
            r.created_at.toISOString(),
            r.actor_user_id,
            actorLabel(emails, r.actor_user_id, r.action) ?? "system",
            r.action,
            r.target_type,
            r.target_id,
            r.metadata,
            r.row_hash,
          ].map((v) => csvCell(v)),
        );
      }
      await writeChunk(out, chunk);
    }
    out.end();
  }).catch((err: unknown) => {
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return out;
}

/** The CSV as a web stream for a Response body. */
export function auditLogCsvBody(run: RunInScope<UserScope>, filters: AuditFilterValues): ReadableStream<Uint8Array> {
  return Readable.toWeb(streamAuditLogCsv(run, filters)) as ReadableStream<Uint8Array>;
}
