/**
 * The one place allowed a large request body: the lead import's upload, read by its routes only
 * after the user is verified. The file limit itself lives with the import (MAX_IMPORT_BYTES).
 */
import { MAX_IMPORT_BYTES } from "@/lib/leads/import/import-limits";

/** The whole multipart body: the file plus room for boundaries and the mapping JSON. */
export const IMPORT_UPLOAD_CAP_BYTES = MAX_IMPORT_BYTES + 64 * 1024;

export const IMPORT_UPLOAD_TOO_LARGE = `The file is larger than the ${MAX_IMPORT_BYTES / 1024 / 1024} MB limit.`;
