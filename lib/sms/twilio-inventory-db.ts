import "server-only";
/**
 * Recording what Twilio said the platform owns. No user is involved and none could be trusted
 * with it: the twilio_inventory service (lib/db/scope.ts), a NOLOGIN role that can execute only
 * private.record_twilio_phone_number, private.record_twilio_messaging_service and
 * private.registered_messaging_service_sids (supabase/migrations/20261130003100_*.sql). The
 * readings are platform-wide, so the service never binds itself to a dealership.
 */
import { withService } from "@/lib/db/scope";

/** The Messaging Services dealerships have registered (across the platform). */
export async function registeredMessagingServiceSids(): Promise<string[]> {
  return withService("twilio_inventory", async ({ sql }) =>
    (await sql<{ sid: string }[]>`select sid from private.registered_messaging_service_sids() as sid`).map(
      (r) => r.sid,
    ),
  );
}

/** What Twilio just confirmed: an owned number and/or services with their pools. */
export interface TwilioReading {
  phoneNumbers: string[];
  services: { sid: string; pool: string[] }[];
}

/** Record a reading (numbers and pools verified now). */
export async function recordTwilioReading(reading: TwilioReading): Promise<void> {
  await withService("twilio_inventory", async ({ sql }) => {
    for (const phone of reading.phoneNumbers) await sql`select private.record_twilio_phone_number(${phone})`;
    for (const s of reading.services)
      await sql`select private.record_twilio_messaging_service(${s.sid}, ${s.pool}::text[])`;
  });
}
