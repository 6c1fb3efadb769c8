/** A UTC timestamp for tables and histories: "2026-11-23 02:07" (or with seconds). */
export function formatUtcTimestamp(date: Date, precision: "minute" | "second" = "minute"): string {
  return date
    .toISOString()
    .replace("T", " ")
    .slice(0, precision === "second" ? 19 : 16);
}
