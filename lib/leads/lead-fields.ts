/**
 * The personal fields of a lead and how they are stored: ONE record envelope per lead in
 * `leads.pii_enc` (lib/crypto/record-cipher.ts), bound to dealership, table, column and lead id.
 * Every module reads and writes lead PII through this file, so the storage format stays here.
 *
 * Before the record envelope, each field had its own envelope column (first_name_enc…, bound to
 * its column). Rows in that legacy shape are read as before until `npm run keys:rotate` has
 * converted them (lib/crypto/rotate-keys.ts); the database holds a row to one shape or the other
 * (check constraint leads_pii_one_shape). Every write stores the record shape and clears the
 * legacy columns.
 */
import {
  DecryptionError,
  decryptOptional,
  type CipherContext,
  type DecryptionFailureReason,
} from "@/lib/crypto/field-cipher";
import type { Keyring } from "@/lib/crypto/keyring";
import { decryptRecord, encryptRecord } from "@/lib/crypto/record-cipher";

/**
 * The personal fields that once had their own envelope column, and that legacy column (read until
 * rotation converts the row).
 */
export const LEAD_LEGACY_COLUMNS = {
  firstName: "first_name_enc",
  lastName: "last_name_enc",
  phone: "phone_enc",
  email: "email_enc",
  vehicleYear: "vehicle_year_enc",
  vehicleMake: "vehicle_make_enc",
  vehicleModel: "vehicle_model_enc",
  vehicleTrim: "vehicle_trim_enc",
  vehicleVin: "vehicle_vin_enc",
  notes: "notes_enc",
} as const;

/** Personal fields added after the record envelope: they only ever live in it (no legacy column). */
const RECORD_ONLY_FIELDS = [
  /** The lead's record id in the dealership's CRM (it identifies a person in another system). */
  "crmId",
] as const;

type LegacyLeadField = keyof typeof LEAD_LEGACY_COLUMNS;
/** A personal field of a lead (a key of its record envelope). */
export type LeadPiiField = LegacyLeadField | (typeof RECORD_ONLY_FIELDS)[number];

/** Every personal field of a lead, in record order. */
export const LEAD_PII_FIELDS: readonly LeadPiiField[] = [
  ...(Object.keys(LEAD_LEGACY_COLUMNS) as LegacyLeadField[]),
  ...RECORD_ONLY_FIELDS,
];

/** The column holding a lead's record envelope. */
export const LEAD_RECORD_COLUMN = "pii_enc";

/** A legacy per-field column of public.leads, e.g. "phone_enc". */
export type LeadPiiColumn = (typeof LEAD_LEGACY_COLUMNS)[LegacyLeadField];
export type LeadPii = Partial<Record<LeadPiiField, string | null>>;
/** What a write stores: the record envelope (null when the lead has no personal field at all). */
export type EncryptedLeadColumns = { pii_enc: string | null };
/** The legacy per-field columns. */
export type LegacyLeadColumns = Record<LeadPiiColumn, string | null>;
/** A leads row with its record envelope and/or legacy columns, as decryption needs it. */
export type EncryptedLeadRow = Partial<EncryptedLeadColumns> &
  Partial<LegacyLeadColumns> & { id: string; dealership_id: string };

const FIELDS = LEAD_PII_FIELDS;
const LEGACY_ENTRIES = Object.entries(LEAD_LEGACY_COLUMNS) as [LegacyLeadField, LeadPiiColumn][];

/**
 * The columns a reader selects to decrypt a lead (record and legacy shapes), e.g.
 * `select id, dealership_id, ${sql.unsafe(leadPiiColumns("l"))} from public.leads l`.
 */
export function leadPiiColumns(alias?: string): string {
  const p = alias ? `${alias}.` : "";
  return [LEAD_RECORD_COLUMN, ...Object.values(LEAD_LEGACY_COLUMNS)].map((c) => `${p}${c}`).join(", ");
}

/** A write that stores the record shape also clears the legacy columns (so the row has one shape). */
export const CLEARED_LEGACY_COLUMNS: Readonly<LegacyLeadColumns> = Object.freeze(
  Object.fromEntries(Object.values(LEAD_LEGACY_COLUMNS).map((c) => [c, null])) as LegacyLeadColumns,
);

/** The cipher context of a lead's record envelope: bound to this dealership, table, column and lead. */
export function leadRecordContext(dealershipId: string, leadId: string): CipherContext {
  return { dealershipId, table: "leads", column: LEAD_RECORD_COLUMN, rowId: leadId };
}

/** The cipher context of a legacy per-field column (reading and converting old rows only). */
export function leadColumnContext(dealershipId: string, leadId: string, column: LeadPiiColumn): CipherContext {
  return { dealershipId, table: "leads", column, rowId: leadId };
}

/**
 * Encrypt a lead's personal fields for the row (dealershipId, leadId) as one record envelope.
 * The record is the whole of the lead's PII: fields not given are stored as empty.
 */
export function encryptLeadPii(
  pii: LeadPii,
  dealershipId: string,
  leadId: string,
  keyring?: Keyring,
): EncryptedLeadColumns {
  const fields: Record<string, string | null | undefined> = {};
  for (const f of FIELDS) fields[f] = pii[f];
  return { pii_enc: encryptRecord(fields, leadRecordContext(dealershipId, leadId), keyring) };
}

const hasRecord = (row: EncryptedLeadRow) => row.pii_enc !== undefined && row.pii_enc !== null && row.pii_enc !== "";

function fromRecord(row: EncryptedLeadRow, keyring?: Keyring): LeadPii {
  const record = decryptRecord(row.pii_enc!, leadRecordContext(row.dealership_id, row.id), keyring);
  const out: LeadPii = {};
  for (const f of FIELDS) out[f] = record[f] ?? null;
  return out;
}

/**
 * Decrypt a lead: the record envelope when the row has one (every field), else the legacy columns
 * present on the row (a legacy row has none of the record-only fields). Throws DecryptionError.
 */
export function decryptLeadPii(row: EncryptedLeadRow, keyring?: Keyring): LeadPii {
  if (hasRecord(row)) return fromRecord(row, keyring);
  const out: LeadPii = {};
  for (const [field, column] of LEGACY_ENTRIES) {
    if (column in row)
      out[field] = decryptOptional(row[column], leadColumnContext(row.dealership_id, row.id, column), keyring);
  }
  return out;
}

/** A lead that would not decrypt: which lead and stored column, and the cipher's reason code. */
export interface LeadDecryptFailure {
  leadId: string;
  column: LeadPiiColumn | typeof LEAD_RECORD_COLUMN;
  reason: DecryptionFailureReason;
}

/**
 * decryptLeadPii that never takes down the row, let alone the page: a record envelope that will
 * not decrypt (malformed, unknown key, bound to another row) makes every field null and listed in
 * `unreadable`, with one failure for the record; a legacy row fails field by field. Errors other
 * than DecryptionError (a missing keyring) still throw.
 */
export function decryptLeadPiiPerField(
  row: EncryptedLeadRow,
  keyring?: Keyring,
): {
  pii: LeadPii;
  unreadable: LeadPiiField[];
  failures: LeadDecryptFailure[];
} {
  if (hasRecord(row)) {
    try {
      return { pii: fromRecord(row, keyring), unreadable: [], failures: [] };
    } catch (err) {
      if (!(err instanceof DecryptionError)) throw err;
      const pii: LeadPii = {};
      for (const f of FIELDS) pii[f] = null;
      return {
        pii,
        unreadable: [...FIELDS],
        failures: [{ leadId: row.id, column: LEAD_RECORD_COLUMN, reason: err.reason }],
      };
    }
  }
  const pii: LeadPii = {};
  const unreadable: LeadPiiField[] = [];
  const failures: LeadDecryptFailure[] = [];
  for (const [field, column] of LEGACY_ENTRIES) {
    if (!(column in row)) continue;
    try {
      pii[field] = decryptOptional(row[column], leadColumnContext(row.dealership_id, row.id, column), keyring);
    } catch (err) {
      if (!(err instanceof DecryptionError)) throw err;
      pii[field] = null;
      unreadable.push(field);
      failures.push({ leadId: row.id, column, reason: err.reason });
    }
  }
  return { pii, unreadable, failures };
}
