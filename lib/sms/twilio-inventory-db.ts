import "server-only";
/**
 * Recording what Twilio said the platform owns. No user is involved and none could be trusted
 * with it: one transaction as the NOLOGIN role twilio_inventory, which can execute only
 * private.record_twilio_phone_number, private.record_twilio_messaging_service and
 * private.registered_messaging_service_sids (supabase/migrations/20261130003100_*.sql).
 */
import type { TransactionSql } from "postgres";
import { pool } from "@/lib/db/pool";

/** Run fn in one transaction as the twilio_inventory role, with no JWT claims at all. */
async function withTwilioInventory<T>(fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  const result = await pool().begin(async (tx) => {
    await tx`select set_config('role', 'twilio_inventory', true), set_config('request.jwt.claims', '', true)`;
    return fn(tx);
  });
  return result as T;
}

/** The Messaging Services dealerships have registered (across the platform). */
export async function registeredMessagingServiceSids(): Promise<string[]> {
  return withTwilioInventory(async (tx) => (await tx`select sid from private.registered_messaging_service_sids() as sid`).map((r) => r.sid as string));
}

/** What Twilio just confirmed: an owned number and/or services with their pools. */
export interface TwilioReading {
  phoneNumbers: string[];
  services: { sid: string; pool: string[] }[];
}

/** Record a reading (numbers and pools verified now). */
export async function recordTwilioReading(reading: TwilioReading): Promise<void> {
  await withTwilioInventory(async (tx) => {
    for (const phone of reading.phoneNumbers) await tx`select private.record_twilio_phone_number(${phone})`;
    for (const s of reading.services) await tx`select private.record_twilio_messaging_service(${s.sid}, ${s.pool}::text[])`;
  });
}
