/**
 * The dealership export: every table of one dealership as a ZIP of CSV files (UTF-8 with BOM,
 * formula cells neutralized) or of JSON files, decrypted on the server and streamed end to end:
 * a database cursor (opened for the `exporter` role by private.export_table) feeds a CSV/JSON
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
import { keyringFromEnv, type Keyring } from "@/lib/crypto/keyring";
import { withService, type AccountSession, type UserScope } from "@/lib/db/scope";
import { decryptLeadPiiPerField, LEAD_PII_FIELDS, type EncryptedLeadRow } from "@/lib/leads/lead-fields";
import { csvCell, UTF8_BOM } from "./csv-cell";
import { EXPORT_TABLES, PHONE_COLUMNS, type ExportTable } from "./export-tables";

export type ExportFormat = "csv" | "json";

/**
 * Rows per FETCH, and how many FETCHes are in flight: Postgres produces the next batches while
 * Node decrypts and encodes this one, with a little slack for a busy machine. Memory stays flat:
 * at most FETCHES_AHEAD + 1 batches of rows are held at once.
 */
const FETCH_ROWS = 1000;
const FETCHES_AHEAD = 3;

/** Buffer of each ZIP entry's stream: room for a few encoded batches between encoder and deflate. */
const ENTRY_BUFFER_BYTES = 1024 * 1024;

/**
 * Deflate level of the ZIP entries. bench:export (CSV of 100,000 leads and 500,000 messages):
 * level 1 gives 49.5 MB, 3 gives 47.9 MB, 6 (zlib's default) 45.2 MB, for about 1 CPU-second
 * less than 6 (the tables are repetitive: uuids, timestamps).
 */
const DEFLATE_LEVEL = 1;

/** bigint and numeric arrive as exact text; the export gives them as JSON numbers. */
const NUMBER_AS_TEXT_TYPES: ReadonlySet<number> = new Set([20, 1700]);

const encryptedColumnsOf = new Map(ENCRYPTED_TABLES.map((t) => [t.table, t.columns]));
const LEAD_FIELDS = LEAD_PII_FIELDS;

/**
 * How one table's cursor rows become the exported rows: the header, and a function from a
 * cursor row (values in cursor column order) to the exported values in header order. Envelopes
 * are replaced by their plaintext; a value that will not decrypt becomes null and is named in
 * `unreadable_fields` (always present on tables with encrypted columns, so every row has the
 * header's columns).
 */
interface RowShape {
  header: string[];
  convert(row: unknown[]): unknown[];
}

function rowShape(
  table: ExportTable,
  dealershipId: string,
  columns: readonly { name: string; type: number }[],
  keyring: Keyring,
): RowShape {
  const names = columns.map((c) => c.name);
  const numeric = columns.flatMap((c, i) => (NUMBER_AS_TEXT_TYPES.has(c.type) ? [i] : []));
  const idIndex = names.indexOf("id");
  const toNumbers = (row: unknown[]) => {
    for (const i of numeric) if (row[i] !== null) row[i] = Number(row[i]);
  };

  if (table === "leads") {
    // Lead PII is read only through lib/leads/lead-fields, whatever its storage.
    const envelopes = names.flatMap((n, i) => (n.endsWith("_enc") ? [i] : []));
    const plain = names.flatMap((n, i) => (n.endsWith("_enc") ? [] : [i]));
    return {
      header: [...plain.map((i) => names[i]!), ...LEAD_FIELDS, "unreadable_fields"],
      convert(row) {
        toNumbers(row);
        const stored: Record<string, unknown> = { id: row[idIndex], dealership_id: dealershipId };
        for (const i of envelopes) stored[names[i]!] = row[i];
        const { pii, unreadable } = decryptLeadPiiPerField(stored as EncryptedLeadRow, keyring);
        const out = plain.map((i) => row[i]);
        for (const f of LEAD_FIELDS) out.push(pii[f as keyof typeof pii] ?? null);
        out.push(unreadable.length ? unreadable.join(" ") : null);
        return out;
      },
    };
  }

  const encrypted = encryptedColumnsOf.get(table);
  if (!encrypted?.length) {
    return {
      header: names,
      convert(row) {
        toNumbers(row);
        return row;
      },
    };
  }
  const envelopes = names.flatMap((n, i) => (encrypted.includes(n) ? [i] : []));
  return {
    header: [...names.map((n) => (encrypted.includes(n) ? n.replace(/_enc$/, "") : n)), "unreadable_fields"],
    convert(row) {
      toNumbers(row);
      let unreadable: string | null = null;
      for (const i of envelopes) {
        const column = names[i]!;
        try {
          const ctx = { dealershipId, table, column, rowId: String(row[idIndex]) };
          row[i] = decryptOptional(row[i] as string | null, ctx, keyring);
        } catch (err) {
          if (!(err instanceof DecryptionError)) throw err;
          row[i] = null;
          const name = column.replace(/_enc$/, "");
          unreadable = unreadable === null ? name : `${unreadable} ${name}`;
        }
      }
      row.push(unreadable);
      return row;
    },
  };
}

/**
 * Record, as the signed-in user, that they export the dealership's data. The database refuses
 * unless they hold data.export and re-authenticated in the last 5 minutes, and writes the audit row.
 */
export async function recordDataExport({ sql, dealershipId }: UserScope, format: ExportFormat): Promise<void> {
  await sql`select public.record_data_export(${dealershipId}, ${format})`;
}

/**
 * Record, as the signed-in owner of a closed dealership (the /closed page), that they export its
 * data. The database refuses unless their role there may reopen it (dealership.close), they
 * re-authenticated in the last 5 minutes, it is still closed (RL111) and its purge date has not
 * come (RL110); it writes `data.exported` with `closed_account: true`.
 */
export async function recordClosedDealershipExport(
  { sql }: AccountSession,
  dealershipId: string,
  format: ExportFormat,
): Promise<void> {
  await sql`select public.record_closed_dealership_export(${dealershipId}, ${format})`;
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

/** Encode one batch of rows (CSV: one line per row; JSON: one object per row, comma-led after the first). */
function encode(shape: RowShape, rows: unknown[][], format: ExportFormat, phone: boolean[], first: boolean): string {
  const { header } = shape;
  const lines: string[] = [];
  if (format === "json") {
    for (const raw of rows) {
      const values = shape.convert(raw);
      const row: Record<string, unknown> = {};
      for (let i = 0; i < header.length; i++) row[header[i]!] = values[i];
      lines.push(JSON.stringify(row));
    }
    return `${first ? "" : ",\n"}${lines.join(",\n")}`;
  }
  const cells: string[] = new Array<string>(header.length);
  for (const raw of rows) {
    const values = shape.convert(raw);
    for (let i = 0; i < header.length; i++) {
      const value = values[i];
      cells[i] = value === null ? "" : csvCell(value, phone[i]);
    }
    lines.push(cells.join(","));
  }
  lines.push("");
  return lines.join("\r\n");
}

/** Encode one table into its entry's stream. */
async function writeTable(
  sql: UserScope["sql"],
  dealershipId: string,
  table: ExportTable,
  format: ExportFormat,
  out: PassThrough,
  onRows: (n: number) => void,
  keyring: Keyring,
): Promise<void> {
  const [opened] = await sql<{ cursor: string }[]>`select private.export_table(${dealershipId}, ${table}) as cursor`;
  const cursor = opened!.cursor;
  // The name comes from our own function; checked anyway before it goes into SQL text.
  if (cursor !== `export_${table}`) throw new Error("unexpected export cursor");
  type Batch = unknown[][] & { columns: { name: string; type: number }[] };
  const fetch = (): Promise<Batch> => {
    const batch = sql.unsafe(`fetch forward ${FETCH_ROWS} from ${cursor}`).values() as Promise<Batch>;
    batch.catch(() => {}); // awaited below; a failure while the previous batch is encoded must not go unhandled
    return batch;
  };
  await write(out, format === "csv" ? UTF8_BOM : "[\n");
  let shape: RowShape | null = null;
  let phone: boolean[] = [];
  let first = true;
  // Ask for the next batches now, so Postgres produces them while this one is encoded. FETCHes
  // past the end return no rows; every one is awaited before the cursor is closed.
  const inFlight: Promise<Batch>[] = [];
  for (let k = 0; k <= FETCHES_AHEAD; k++) inFlight.push(fetch());
  for (;;) {
    const rows: Batch = await inFlight.shift()!;
    if (rows.length === FETCH_ROWS) inFlight.push(fetch());
    if (!shape) {
      shape = rowShape(table, dealershipId, rows.columns, keyring);
      phone = shape.header.map((h) => PHONE_COLUMNS.has(h));
    }
    if (rows.length) {
      // As before: a table without rows is a file with the BOM only.
      if (first && format === "csv") await write(out, `${shape.header.map((h) => csvCell(h)).join(",")}\r\n`);
      await write(out, encode(shape, rows, format, phone, first));
      first = false;
      onRows(rows.length);
    }
    if (rows.length < FETCH_ROWS) break;
  }
  await Promise.all(inFlight);
  await sql.unsafe(`close ${cursor}`);
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
    const stream = new PassThrough({ highWaterMark: ENTRY_BUFFER_BYTES });
    zip.addReadStream(stream, `${table}.${format}`, { mtime: new Date(), compressionLevel: DEFLATE_LEVEL });
    return { table, stream };
  });
  zip.end();
  const output = zip.outputStream as PassThrough;
  // A cancelled download closes the output: close the entries too, so the writer stops.
  output.once("close", () => {
    for (const { stream } of entries) if (!stream.writableFinished) stream.destroy();
  });
  withService("exporter", dealershipId, async ({ sql }) => {
    // Read once: the env lookup per field was a measurable share of the export's CPU.
    const keyring = keyringFromEnv();
    for (const { table, stream } of entries) {
      await writeTable(sql, dealershipId, table, format, stream, options.onRows ?? (() => {}), keyring);
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
