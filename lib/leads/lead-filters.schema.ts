/**
 * The leads table's filters as they appear in the URL. Only non-personal values ever go in a URL:
 * search terms (phone, e-mail, name) are posted, never put in a query string.
 */
import { z } from "zod";
import { CONSENT_STATUSES, LEAD_STATUSES } from "./lead-status";

/** Parse the query string; anything malformed falls back to "no filter" instead of failing the page. */
export const leadFiltersSchema = z.object({
  status: z.enum(LEAD_STATUSES).optional().catch(undefined),
  consent: z.enum(CONSENT_STATUSES).optional().catch(undefined),
  assigned: z
    .union([z.literal("me"), z.literal("none"), z.uuid()])
    .optional()
    .catch(undefined),
  // A lead_sources id: the label is file text and never goes in a URL.
  source: z.uuid().optional().catch(undefined),
  sort: z.enum(["activity_desc", "activity_asc"]).default("activity_desc").catch("activity_desc"),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});

export type LeadFilters = z.infer<typeof leadFiltersSchema>;

export const LEADS_PAGE_SIZE = 50;

/** Serialize filters back to a query string (for pagination links). */
export function leadFiltersToQuery(filters: LeadFilters, overrides: Partial<LeadFilters> = {}): string {
  const merged = { ...filters, ...overrides };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(merged)) {
    if (value === undefined || (key === "sort" && value === "activity_desc") || (key === "page" && value === 1))
      continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `?${qs}` : "";
}
