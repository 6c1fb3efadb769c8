/**
 * The multipart form the import page posts: the CSV file, and (after the review step) the mapping
 * as JSON. Parsed as it streams in (busboy), after the user is verified, with the body capped: the
 * file's bytes are kept once, in the chunks they arrived in (no joined copy, no Blob, no
 * ArrayBuffer), and nothing is written to disk (the file holds personal data in clear).
 */
import { Readable } from "node:stream";
import busboy from "busboy";
import { z } from "zod";
import { AppError } from "@/lib/server/app-error";
import { cappedBodyChunks } from "@/lib/server/capped-body";
import { IMPORT_UPLOAD_CAP_BYTES, IMPORT_UPLOAD_TOO_LARGE } from "@/lib/server/import-upload-cap";
import type { CsvSource } from "./csv-source";
import { ImportFileError } from "./import-error";
import { MAX_IMPORT_BYTES } from "./import-limits";
import { importMappingSchema, type ImportMapping } from "./import-mapping.schema";

export interface ImportUpload {
  source: CsvSource;
  sizeBytes: number;
  fileName: string;
  mapping: ImportMapping | undefined;
}

const fileNameSchema = z.string().trim().min(1).max(255);

function parseMapping(raw: string | undefined): ImportMapping | undefined {
  if (!raw) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new AppError("invalid_input", "The column mapping is not valid JSON.");
  }
  const parsed = importMappingSchema.safeParse(json);
  if (!parsed.success)
    throw new ImportFileError("invalid_mapping", parsed.error.issues[0]?.message ?? "The column mapping is not valid.");
  return parsed.data;
}

/**
 * Read the upload; refuses a non-multipart body, a body or file over the limit (as soon as the
 * limit is passed, without reading on), a missing file and a malformed mapping.
 */
export async function readImportUpload(req: Request): Promise<ImportUpload> {
  const contentType = req.headers.get("content-type") ?? "";
  if (!contentType.startsWith("multipart/form-data")) {
    throw new AppError("unsupported_media_type", "Send the file as multipart/form-data.");
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      limits: { files: 1, fileSize: MAX_IMPORT_BYTES, fields: 4, fieldSize: 64 * 1024, parts: 6 },
    });
  } catch {
    throw new AppError("invalid_input", "The upload could not be read.");
  }
  const chunks: Uint8Array[] = [];
  let sizeBytes = 0;
  let fileName: string | null = null;
  let rawMapping: string | undefined;
  let tooLarge = false;
  const parsed = new Promise<void>((resolve, reject) => {
    parser.on("file", (name, stream, info) => {
      if (name !== "file" || fileName !== null) return void stream.resume();
      fileName = fileNameSchema.safeParse(info.filename).data ?? "upload.csv";
      stream.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        sizeBytes += chunk.byteLength;
      });
      stream.on("limit", () => (tooLarge = true));
    });
    parser.on("field", (name, value) => {
      if (name === "mapping") rawMapping = value;
    });
    parser.on("close", resolve);
    parser.on("error", () => reject(new AppError("invalid_input", "The upload could not be read.")));
  });
  parsed.catch(() => {}); // awaited below, after the body was fed
  // Backpressure: the body is pulled only as fast as the parser takes it.
  const body = Readable.from(cappedBodyChunks(req, IMPORT_UPLOAD_CAP_BYTES, IMPORT_UPLOAD_TOO_LARGE));
  const fed = new Promise<void>((resolve, reject) => {
    body.on("error", reject);
    parser.on("finish", resolve);
    body.pipe(parser);
  });
  await fed.catch((err: unknown) => {
    parser.destroy();
    throw err instanceof AppError ? err : new AppError("invalid_input", "The upload could not be read.");
  });
  await parsed;
  if (tooLarge) throw new ImportFileError("too_large", IMPORT_UPLOAD_TOO_LARGE);
  if (fileName === null) throw new AppError("invalid_input", "Choose a CSV file to import.");
  return { source: { chunks }, sizeBytes, fileName, mapping: parseMapping(rawMapping) };
}
