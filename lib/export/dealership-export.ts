/**
 * The dealership export: every table of one dealership as a ZIP of CSV files (UTF-8 with BOM,
 * formula cells neutralized) or of JSON files, decrypted on the server and streamed end to end:
 * a database cursor (as the `exporter` role, through private.export_table) feeds a CSV/JSON
 * encoder that writes into the ZIP entry, and the ZIP's output is the response body. Each stage
 * waits for the next (backpressure), so memory stays flat however large the dealership.
 *
 * The caller must first have checked the user's data.export permission and recent
 * re-authentication and recorded the export (recordDataExport); this module trusts the dealership id.
 */
import { PassThrough, Readable } from "node:stream";
import { ZipFile } from "yazl";
import { DecryptionError, decryptOptional } from "@/lib/crypto/field-cipher";
import { ENCRYPTED_TABLES } from "@/lib/crypto/encrypted-columns";
import { withService, type UserScope } from "@/lib/db/scope";
import { decryptLeadPiiPerField, type EncryptedLeadRow } from "@/lib/leads/lead-fields";
import { csvCell, csvLine, UTF8_BOM } from "./csv-cell";
import { EXPORT_TABLES, PHONE_COLUMNS, type ExportTable } from "./export-tables";

export type ExportFormat = "csv" | "json";

/** Rows fetched per cursor round trip: large enough to be fast, small enough to keep memory flat. */
const CURSOR_ROWS = 500;

type Row = Record<string, unknown>;

const encryptedColumnsOf = new Map(ENCRYPTED_TABLES.map((t) => [t.table, t.columns]));

/**
 * Record, as the signed-in user, that they export the dealership's data. The database refuses
 * unless they hold data.export and re-authenticated in the last 5 minutes, and writes the audit row.
 */
export async function recordDataExport({ sql, dealershipId }: UserScope, format: ExportFormat): Promise<void> {
  await sql`select public.record_data_export(${dealershipId}, ${format})`;
}

/** Replace a row's envelopes by their plaintext (a value that will not decrypt becomes null and is listed). */
function decryptRow(table: ExportTable, row: Row, dealershipId: string): Row {
  if (table === "leads") {
    // Lead PII is read only through lib/leads/lead-fields, whatever its storage.
    const { pii, unreadable } = decryptLeadPiiPerField({ ...row, dealership_id: dealershipId } as EncryptedLeadRow);
    const out: Row = {};
    for (const [k, v] of Object.entries(row)) if (!k.endsWith("_enc")) out[k] = v;
    return { ...out, ...pii, unreadable_fields: unreadable.length ? unreadable.join(" ") : null };
  }
  const columns = encryptedColumnsOf.get(table);
  if (!columns) return row;
  const out: Row = {};
  const unreadable: string[] = [];
  for (const [k, v] of Object.entries(row)) {
    if (!columns.includes(k)) {
      out[k] = v;
      continue;
    }
    const name = k.replace(/_enc$/, "");
    try {
      out[name] = decryptOptional(v as string | null, { dealershipId, table, column: k, rowId: String(row.id) });
    } catch (err) {
      if (!(err instanceof DecryptionError)) throw err;
      out[name] = null;
      unreadable.push(name);
    }
  }
  // Always present, so every row of the table has the same columns as the header.
  out.unreadable_fields = unreadable.length ? unreadable.join(" ") : null;
  return out;
}

/**
 * Write a chunk, waiting for the reader when its buffer is full. A stream closed before it drains
 * (the download was cancelled) rejects, which ends the export's transaction.
 */
async function write(stream: PassThrough, chunk: string): Promise<void> {
  if (stream.destroyed) throw new Error("export cancelled");
  if (stream.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const onDrain = () => {
      stream.off("close", onClose);
      resolve();
    };
    const onClose = () => {
      stream.off("drain", onDrain);
      reject(new Error("export cancelled"));
    };
    stream.once("drain", onDrain);
    stream.once("close", onClose);
  });
}

/** Encode one table into its entry's stream. */
async function writeTable(
  sql: UserScope["sql"],
  dealershipId: string,
  table: ExportTable,
  format: ExportFormat,
  out: PassThrough,
  onRows: (n: number) => void,
): Promise<void> {
  let header: string[] | null = null;
  let first = true;
  await write(out, format === "csv" ? UTF8_BOM : "[\n");
  const cursor = sql<{ row: Row }[]>`select private.export_table(${dealershipId}, ${table}) as row`.cursor(CURSOR_ROWS);
  for await (const batch of cursor) {
    let chunk = "";
    for (const { row: raw } of batch) {
      const row = decryptRow(table, raw, dealershipId);
      if (format === "json") {
        chunk += `${first ? "" : ",\n"}${JSON.stringify(row)}`;
      } else {
        if (!header) {
          header = Object.keys(row);
          chunk += csvLine(header.map((h) => csvCell(h)));
        }
        chunk += csvLine(header.map((h) => csvCell(row[h], PHONE_COLUMNS.has(h))));
      }
      first = false;
    }
    onRows(batch.length);
    await write(out, chunk);
  }
  if (format === "json") await write(out, first ? "]\n" : "\n]\n");
  out.end();
}

/**
 * Stream the dealership's export as a ZIP. The returned stream starts at once; the rows are read
 * in one `exporter` transaction while the consumer reads. A failure mid-way destroys the stream
 * (the download ends with an error rather than as a complete-looking but partial file).
 */
export function streamDealershipExport(
  dealershipId: string,
  format: ExportFormat,
  options: { onRows?: (n: number) => void } = {},
): Readable {
  const zip = new ZipFile();
  const entries = EXPORT_TABLES.map((table) => {
    const stream = new PassThrough({ highWaterMark: 256 * 1024 });
    zip.addReadStream(stream, `${table}.${format}`, { mtime: new Date() });
    return { table, stream };
  });
  zip.end();
  const output = zip.outputStream as PassThrough;
  // A cancelled download closes the output: close the entries too, so the writer stops.
  output.once("close", () => {
    for (const { stream } of entries) if (!stream.writableFinished) stream.destroy();
  });
  withService("exporter", dealershipId, async ({ sql }) => {
    for (const { table, stream } of entries) {
      await writeTable(sql, dealershipId, table, format, stream, options.onRows ?? (() => {}));
    }
  }).catch((err: unknown) => {
    for (const { stream } of entries) stream.destroy();
    output.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return output;
}

/** The ZIP as a web stream for a Response body. */
export function dealershipExportBody(dealershipId: string, format: ExportFormat): ReadableStream<Uint8Array> {
  return Readable.toWeb(streamDealershipExport(dealershipId, format)) as ReadableStream<Uint8Array>;
}
