/**
 * What happens when a stored field will not decrypt: the page still renders (the field shows as
 * unreadable), a log line names only the lead id, the column and the cipher's reason code, and
 * the database records an audit event through public.report_lead_decrypt_failure (which checks
 * the caller sees the lead and writes once per stored value, so reloading a page adds nothing).
 */
import type { ReadScope } from "@/lib/db/scope";
import { logger } from "@/lib/observability/logger";
import type { LeadDecryptFailure } from "./lead-fields";

/** Shown in place of a field that could not be decrypted. */
export const UNREADABLE_LABEL = "unreadable";

/** Log and audit each failure; never throws (a failed report must not fail the page). */
export async function reportLeadDecryptFailures(
  { sql, actor }: ReadScope,
  failures: readonly LeadDecryptFailure[],
): Promise<void> {
  for (const f of failures) {
    logger().warn(
      { event: "decrypt_failed", leadId: f.leadId, column: f.column, reason: f.reason },
      "lead field did not decrypt",
    );
    // An operator under a support grant is no member, so the database would refuse the report;
    // the dealership's own members report it when they next see the lead.
    if (actor.kind === "support") continue;
    try {
      // A savepoint: an error here must not abort the reader's transaction.
      await sql.savepoint((sp) => sp`select public.report_lead_decrypt_failure(${f.leadId}, ${f.column}, ${f.reason})`);
    } catch (err) {
      logger().error(
        {
          event: "decrypt_failed_not_audited",
          leadId: f.leadId,
          code: String((err as { code?: unknown })?.code ?? "unknown"),
        },
        "decrypt failure not audited",
      );
    }
  }
}
