/**
 * The documented limits of a lead import. Checked before anything is written, so a file over a
 * limit costs the dealership nothing but a clear message.
 */

/** Largest accepted file: 50 MB (a 250,000-row CRM export with notes fits comfortably). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** Most data rows accepted in one file (blank lines not counted). */
export const MAX_IMPORT_ROWS = 250_000;

/** Most columns accepted; CRM exports have a few dozen, more means the file is not a lead list. */
export const MAX_IMPORT_COLUMNS = 500;

/**
 * Leads written per statement: big enough to amortize round trips and per-statement work, small
 * enough to stream. Each batch is written inside a savepoint (lead-batch-sql.ts), and 250,000 rows
 * in batches of 5,000 stay under the 64 subtransactions a Postgres backend keeps in shared memory.
 */
export const IMPORT_WRITE_BATCH_SIZE = 5_000;

/** Longest value kept per field; longer values are cut (notes) or make the value invalid (email, CRM id). */
export const FIELD_MAX_LENGTH = {
  crmId: 100,
  firstName: 100,
  lastName: 100,
  email: 254,
  vehicleYear: 16,
  vehicleMake: 60,
  vehicleModel: 80,
  vehicleTrim: 80,
  vehicleVin: 32,
  notes: 4_000,
  salesperson: 200,
  source: 120,
} as const;
