/**
 * Every encrypted column in the schema, with the cipher context each is bound to. Key rotation
 * walks this list; a test checks it against the database so a new *_enc column cannot be missed.
 */
export interface EncryptedTable {
  table: string;
  /** Columns holding envelopes; the cipher context's column name is the column itself. */
  columns: readonly string[];
}

export const ENCRYPTED_TABLES: readonly EncryptedTable[] = [
  {
    table: "leads",
    columns: [
      "first_name_enc",
      "last_name_enc",
      "phone_enc",
      "email_enc",
      "vehicle_year_enc",
      "vehicle_make_enc",
      "vehicle_model_enc",
      "vehicle_trim_enc",
      "vehicle_vin_enc",
      "notes_enc",
    ],
  },
  { table: "lead_imports", columns: ["file_name_enc"] },
  { table: "do_not_contact", columns: ["phone_enc"] },
  { table: "messages", columns: ["body_enc"] },
  { table: "lead_sources", columns: ["label_enc"] },
];
