/**
 * The multipart form the import page posts: the CSV file, and (after the review step) the mapping
 * as JSON. Parsed and bounded here so both import routes read it the same way.
 */
import { z } from "zod";
import { AppError } from "@/lib/server/app-error";
import { ImportFileError } from "./import-error";
import { MAX_IMPORT_BYTES } from "./import-limits";
import { importMappingSchema, type ImportMapping } from "./import-mapping.schema";

export interface ImportUpload {
  bytes: Uint8Array;
  fileName: string;
  mapping: ImportMapping | undefined;
}

const fileNameSchema = z.string().trim().min(1).max(255);

/** Read the upload; refuses a non-multipart body, a missing or oversized file, a malformed mapping. */
export async function readImportUpload(req: Request): Promise<ImportUpload> {
  if (!(req.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    throw new AppError("unsupported_media_type", "Send the file as multipart/form-data.");
  }
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > MAX_IMPORT_BYTES + 64 * 1024) {
    throw new ImportFileError("too_large", `The file is larger than the ${MAX_IMPORT_BYTES / 1024 / 1024} MB limit.`);
  }
  const form = await req.formData().catch(() => {
    throw new AppError("invalid_input", "The upload could not be read.");
  });
  const file = form.get("file");
  if (!(file instanceof File)) throw new AppError("invalid_input", "Choose a CSV file to import.");
  if (file.size > MAX_IMPORT_BYTES) {
    throw new ImportFileError("too_large", `The file is larger than the ${MAX_IMPORT_BYTES / 1024 / 1024} MB limit.`);
  }
  let mapping: ImportMapping | undefined;
  const rawMapping = form.get("mapping");
  if (typeof rawMapping === "string" && rawMapping) {
    let json: unknown;
    try {
      json = JSON.parse(rawMapping);
    } catch {
      throw new AppError("invalid_input", "The column mapping is not valid JSON.");
    }
    const parsed = importMappingSchema.safeParse(json);
    if (!parsed.success)
      throw new ImportFileError(
        "invalid_mapping",
        parsed.error.issues[0]?.message ?? "The column mapping is not valid.",
      );
    mapping = parsed.data;
  }
  const fileName = fileNameSchema.safeParse(file.name).data ?? "upload.csv";
  return { bytes: new Uint8Array(await file.arrayBuffer()), fileName, mapping };
}
