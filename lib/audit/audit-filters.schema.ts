/**
 * The audit log viewer's filters as they appear in the query string: a member by user id (never
 * an e-mail), an action or a family of actions ("team.*"), a date range in UTC, and a page cursor
 * (a chain position). No personal data can go in: every value has a fixed shape. Bad input is an
 * error the page shows, not a silently dropped filter, so a filtered view never pretends to be
 * the whole log.
 */
import { z } from "zod";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const day = (label: string) =>
  z
    .string()
    .regex(DATE, { message: `${label} must be a date (YYYY-MM-DD).`, abort: true })
    .refine(
      (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
      {
        message: `${label} is not a real date.`,
      },
    );

const blankToUndefined = (v: unknown) => (v === "" ? undefined : v);

/** The filters proper (no cursor). */
const filterFields = {
  actor: z.preprocess(
    blankToUndefined,
    z.union([z.literal("system"), z.uuid("Choose a person from the list.")]).optional(),
  ),
  action: z.preprocess(
    blankToUndefined,
    z
      .string()
      .max(64, "Choose an action from the list.")
      .regex(/^[a-z][a-z_]*(\.[a-z][a-z_]*)*(\.\*)?$/, "Choose an action from the list.")
      .optional(),
  ),
  from: z.preprocess(blankToUndefined, day("From").optional()),
  to: z.preprocess(blankToUndefined, day("To").optional()),
};

const dateOrder = (f: { from?: string; to?: string }) => !(f.from && f.to && f.from > f.to);
const DATE_ORDER = { path: ["to"], message: "To must not be before From." };

/** The filters and page cursor from the query string; parse with safeParse and show the issues on failure. */
export const auditFiltersSchema = z
  .object({
    ...filterFields,
    before: z.preprocess(blankToUndefined, z.coerce.number().int().positive("Not a page of this log.").optional()),
    after: z.preprocess(blankToUndefined, z.coerce.number().int().nonnegative("Not a page of this log.").optional()),
  })
  .strict()
  .refine(dateOrder, DATE_ORDER)
  .refine((f) => !(f.before !== undefined && f.after !== undefined), {
    path: ["before"],
    message: "Not a page of this log.",
  });

export type AuditFilters = z.infer<typeof auditFiltersSchema>;

/** The POST body of the CSV export: the same filters, no cursor. */
export const auditExportBodySchema = z.object(filterFields).strict().refine(dateOrder, DATE_ORDER);

/** The filters only (no cursor): what an export of the filtered log takes and records. */
export type AuditFilterValues = z.infer<typeof auditExportBodySchema>;

/** The rows shown per page. */
export const AUDIT_PAGE_SIZE = 100;

/** Serialize filters (and a cursor) back to a query string, for paging links. */
export function auditFiltersToQuery(
  filters: AuditFilterValues,
  cursor: { before?: number; after?: number } = {},
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filters, ...cursor })) {
    if (value !== undefined) params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `?${qs}` : "";
}
