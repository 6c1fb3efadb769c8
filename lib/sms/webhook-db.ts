import "server-only";
/**
 * The database path of the Twilio webhooks, which have no user. One transaction on the shared
 * pool that first becomes the NOLOGIN role sms_webhook: it can read or write no table and may only
 * execute private.route_inbound_sms, private.record_inbound_message and
 * private.apply_status_callback (supabase/migrations/20261123001010_sms_webhook_role.sql).
 */
import type { TransactionSql } from "postgres";
import { pool } from "@/lib/db/pool";

export type SmsWebhookTx = TransactionSql;

/** Run fn in one transaction as the sms_webhook role, with no JWT claims at all. */
export async function withSmsWebhook<T>(fn: (tx: SmsWebhookTx) => Promise<T>): Promise<T> {
  const result = await pool().begin(async (tx) => {
    await tx`select set_config('role', 'sms_webhook', true), set_config('request.jwt.claims', '', true)`;
    return fn(tx);
  });
  return result as T;
}
