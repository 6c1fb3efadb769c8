/**
 * Errors a user sees when a file cannot be imported at all. They carry a safe message (never a
 * cell value) and map onto the app's one user-facing error type.
 */
import { AppError, type AppErrorCode } from "@/lib/server/app-error";

/** Why a whole file was refused; the UI may branch on it, the message is for people. */
export type ImportFileProblem =
  | "empty"
  | "too_large"
  | "too_many_rows"
  | "too_many_columns"
  | "not_csv"
  | "header_only"
  | "unclosed_quote"
  | "invalid_mapping";

const CODE: Record<ImportFileProblem, AppErrorCode> = {
  empty: "invalid_input",
  too_large: "payload_too_large",
  too_many_rows: "payload_too_large",
  too_many_columns: "invalid_input",
  not_csv: "unsupported_media_type",
  header_only: "invalid_input",
  unclosed_quote: "invalid_input",
  invalid_mapping: "invalid_input",
};

/** A file-level refusal with a message fit to show the user as is. */
export class ImportFileError extends AppError {
  constructor(
    readonly problem: ImportFileProblem,
    message: string,
  ) {
    super(CODE[problem], message);
    this.name = "ImportFileError";
  }
}

/**
 * An import that started but did not complete: nothing of it was saved, and its lead_imports
 * record says "failed" with the same message.
 */
export class LeadImportFailedError extends AppError {
  constructor(
    readonly importId: string,
    cause: AppError,
  ) {
    super(cause.code, `The import failed and no leads were changed. ${cause.message}`);
    this.name = "LeadImportFailedError";
  }
}
