/** Shapes the import API returns (app/api/imports). */
import type { ImportCounts } from "@/lib/leads/import/import-records";

export interface PreviewResponse {
  fileName: string;
  savedMapping: boolean;
  headers: string[];
  encoding: string;
  delimiter: string;
  totalRows: number;
  mapping: Record<string, string>;
  mappingError: string | null;
  rows: { rowNumber: number; cells: string[]; ok: boolean; problems: string[] }[];
}

export interface ImportDone {
  importId: string;
  counts: ImportCounts;
  warnings: string[];
  warningCount: number;
  unmatchedSalespeople: { name: string; leads: number }[];
  rejectedCount: number;
  rejectsCsv: string | null;
  durationMs: number;
}

export type ImportStreamLine =
  | { type: "progress"; phase: "validating" | "writing" | "completed"; processed: number; total: number }
  | { type: "done"; summary: ImportDone }
  | { type: "error"; message: string };
