/**
 * Lead erasure: delete a lead and everything about them for good (public.erase_lead). An opt-out
 * survives as a tombstone on the do-not-contact list (blind index only), so re-importing the
 * person never texts someone who said STOP. Owners and admins, after a recent re-authentication;
 * the database checks both and writes the `lead.erased` audit row.
 */
import type { UserScope } from "@/lib/db/scope";

/** Erase the lead; resolves to whether an opt-out tombstone was kept. */
export async function eraseLead({ sql }: UserScope, leadId: string): Promise<{ tombstone: boolean }> {
  const [row] = await sql<{ tombstone: boolean }[]>`select public.erase_lead(${leadId}) as tombstone`;
  return { tombstone: row!.tombstone };
}
