/**
 * The dealership the 250,000-row import test fills (import-large-file.test.ts). The tests that scan
 * every raw table for plaintext skip its rows: they are generated, hold none of those tests'
 * secrets, and would make a full scan take minutes while that test runs beside them.
 */
export const LARGE_FILE_DEALERSHIP = "Large File Motors";

/** A SQL condition on a table with a dealership_id column that leaves out the large-file test's rows. */
export const NOT_LARGE_FILE_ROWS = `dealership_id not in (select id from public.dealerships where name like '${LARGE_FILE_DEALERSHIP}%')`;
