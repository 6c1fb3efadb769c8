/**
 * A validated mapping turned into column indexes for a given header row, so each row is read by
 * index without looking names up again.
 */
import { ImportFileError } from "./import-error";
import {
  IMPORT_FIELD_LABELS,
  importMappingSchema,
  PHONE_FIELDS_BY_PREFERENCE,
  type ImportField,
  type ImportMapping,
} from "./import-mapping.schema";

type SingleField = Exclude<ImportField, (typeof PHONE_FIELDS_BY_PREFERENCE)[number] | "notes">;

export interface ColumnPlan {
  headers: readonly string[];
  /** The validated mapping the plan was made from. */
  mapping: ImportMapping;
  /** Column of each single-valued field, when mapped. */
  single: Partial<Record<SingleField, number>>;
  /** Phone columns, most preferred first (mobile, phone, home, work; file order within each). */
  phones: number[];
  /** Notes columns in file order (joined). */
  notes: number[];
}

/**
 * Validates the mapping (zod schema, every header present in the file, at least one phone
 * column) and returns its column plan. Throws ImportFileError("invalid_mapping") with a message
 * the review step can show.
 */
export function planColumns(headers: readonly string[], input: unknown): ColumnPlan {
  if (input === undefined || input === null) {
    throw new ImportFileError("invalid_mapping", "Choose which lead field each column holds before importing.");
  }
  const parsed = importMappingSchema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ImportFileError(
      "invalid_mapping",
      `The column mapping is not valid: ${first?.message ?? "unknown problem"}`,
    );
  }
  const mapping: ImportMapping = parsed.data;
  const index = new Map(headers.map((h, i) => [h, i]));
  const plan: ColumnPlan = { headers, mapping, single: {}, phones: [], notes: [] };
  const phonesByField = new Map<string, number[]>();
  for (const [header, field] of Object.entries(mapping)) {
    const col = index.get(header);
    if (col === undefined)
      throw new ImportFileError(
        "invalid_mapping",
        `The mapping names a column "${header.slice(0, 80)}" that this file does not have.`,
      );
    if ((PHONE_FIELDS_BY_PREFERENCE as readonly string[]).includes(field)) {
      phonesByField.set(field, [...(phonesByField.get(field) ?? []), col]);
    } else if (field === "notes") {
      plan.notes.push(col);
    } else {
      plan.single[field as SingleField] = col;
    }
  }
  for (const field of PHONE_FIELDS_BY_PREFERENCE)
    plan.phones.push(...(phonesByField.get(field) ?? []).sort((a, b) => a - b));
  plan.notes.sort((a, b) => a - b);
  if (plan.phones.length === 0) {
    throw new ImportFileError(
      "invalid_mapping",
      `No phone column is mapped. Map at least one column to "${IMPORT_FIELD_LABELS.mobilePhone}" or "${IMPORT_FIELD_LABELS.phone}"; leads are texted, so every lead needs a phone number.`,
    );
  }
  return plan;
}
