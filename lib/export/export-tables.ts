/**
 * What a dealership export contains: one file per table, in this order. A new tenant table must
 * be added here and to private.export_table (migration 20261130050100); lib/export tests check
 * that every public table with a dealership_id is listed.
 */
export const EXPORT_TABLES = [
  "dealership",
  "team",
  "invitations",
  "leads",
  "lead_sources",
  "conversations",
  "messages",
  "campaigns",
  "campaign_recipients",
  "consent_events",
  "do_not_contact",
  "lead_imports",
  "import_mappings",
  "sending_numbers",
  "dealership_campaign_settings",
  "reply_templates",
  "triage_corrections",
  "support_access_requests",
  "audit_events",
] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

/** Columns that hold phone numbers the product validated as E.164 (left intact in CSV cells). */
export const PHONE_COLUMNS: ReadonlySet<string> = new Set(["phone", "phone_number", "from_number", "to_number"]);
