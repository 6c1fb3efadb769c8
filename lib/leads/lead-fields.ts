/**
 * The personal fields of a lead and their encrypted columns. One list, used to encrypt on write,
 * decrypt on read, and re-encrypt during key rotation; and the one place that says which cipher
 * context a lead column is bound to (leadColumnContext), for every module that touches one.
 */
import {
  DecryptionError,
  decryptOptional,
  encryptOptional,
  type CipherContext,
  type DecryptionFailureReason,
} from "@/lib/crypto/field-cipher";
import type { Keyring } from "@/lib/crypto/keyring";

export const LEAD_PII_FIELDS = {
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

export type LeadPiiField = keyof typeof LEAD_PII_FIELDS;
/** An encrypted column of public.leads, e.g. "phone_enc". */
export type LeadPiiColumn = (typeof LEAD_PII_FIELDS)[LeadPiiField];
export type LeadPii = Partial<Record<LeadPiiField, string | null>>;
export type EncryptedLeadColumns = Record<LeadPiiColumn, string | null>;
/** A leads row with some of its encrypted columns, as decryption needs it. */
export type EncryptedLeadRow = Partial<EncryptedLeadColumns> & { id: string; dealership_id: string };

const ENTRIES = Object.entries(LEAD_PII_FIELDS) as [LeadPiiField, LeadPiiColumn][];

/** The cipher context of a lead's column: the envelope is bound to this dealership, lead and column. */
export function leadColumnContext(dealershipId: string, leadId: string, column: LeadPiiColumn): CipherContext {
  return { dealershipId, table: "leads", column, rowId: leadId };
}

/** Encrypt a lead's personal fields for the row (dealershipId, leadId). */
export function encryptLeadPii(
  pii: LeadPii,
  dealershipId: string,
  leadId: string,
  keyring?: Keyring,
): EncryptedLeadColumns {
  const out = {} as EncryptedLeadColumns;
  for (const [field, column] of ENTRIES) {
    out[column] = encryptOptional(pii[field], leadColumnContext(dealershipId, leadId, column), keyring);
  }
  return out;
}

/** Decrypt the personal fields present on a leads row. */
export function decryptLeadPii(row: EncryptedLeadRow): LeadPii {
  const out: LeadPii = {};
  for (const [field, column] of ENTRIES) {
    if (column in row) {
      out[field] = decryptOptional(row[column], leadColumnContext(row.dealership_id, row.id, column));
    }
  }
  return out;
}

/** A field of a lead that would not decrypt: which lead and column, and the cipher's reason code. */
export interface LeadDecryptFailure {
  leadId: string;
  column: LeadPiiColumn;
  reason: DecryptionFailureReason;
}

/**
 * decryptLeadPii, one field at a time: a field that will not decrypt (malformed, unknown key,
 * bound to another row) becomes null and is listed in `unreadable`, so one bad value never takes
 * down the row, let alone the page. Errors other than DecryptionError (a missing keyring) still throw.
 */
export function decryptLeadPiiPerField(row: EncryptedLeadRow): {
  pii: LeadPii;
  unreadable: LeadPiiField[];
  failures: LeadDecryptFailure[];
} {
  const pii: LeadPii = {};
  const unreadable: LeadPiiField[] = [];
  const failures: LeadDecryptFailure[] = [];
  for (const [field, column] of ENTRIES) {
    if (!(column in row)) continue;
    try {
      pii[field] = decryptOptional(row[column], leadColumnContext(row.dealership_id, row.id, column));
    } catch (err) {
      if (!(err instanceof DecryptionError)) throw err;
      pii[field] = null;
      unreadable.push(field);
      failures.push({ leadId: row.id, column, reason: err.reason });
    }
  }
  return { pii, unreadable, failures };
}
