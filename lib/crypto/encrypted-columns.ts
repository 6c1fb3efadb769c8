/**
 * Every encrypted column in the schema, with the cipher context each is bound to. Key rotation
 * walks this list; a test checks it against the database so a new *_enc column cannot be missed.
 */
import { LEAD_LEGACY_COLUMNS, LEAD_RECORD_COLUMN } from "../leads/lead-fields";

/** A record envelope column (lib/crypto/record-cipher.ts) and the per-field columns it replaced. */
export interface RecordColumn {
  /** The column holding the record; also the cipher context's column name. */
  column: string;
  /**
   * Field name → legacy column holding that field in its own envelope (context column = the
   * column). Rotation converts such rows into the record, field names as the record's keys.
   */
  legacyFields: Readonly<Record<string, string>>;
}

export interface EncryptedTable {
  table: string;
  /** Columns holding one field's envelope each; the cipher context's column name is the column itself. */
  columns: readonly string[];
  /** The table's record envelope, when several personal fields of a row are encrypted together. */
  record?: RecordColumn;
}

export const ENCRYPTED_TABLES: readonly EncryptedTable[] = [
  { table: "leads", columns: [], record: { column: LEAD_RECORD_COLUMN, legacyFields: LEAD_LEGACY_COLUMNS } },
  { table: "lead_imports", columns: ["file_name_enc"] },
  { table: "do_not_contact", columns: ["phone_enc"] },
  { table: "messages", columns: ["body_enc"] },
  { table: "lead_sources", columns: ["label_enc"] },
];

/** Every column of the table that holds an envelope (record, legacy and field columns). */
export function envelopeColumns(spec: EncryptedTable): string[] {
  return [...(spec.record ? [spec.record.column, ...Object.values(spec.record.legacyFields)] : []), ...spec.columns];
}
