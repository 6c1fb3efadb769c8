/**
 * A dealership's sending numbers (Settings): a Twilio number in E.164 or a Messaging Service SID.
 * RLS lets every member read them and only owners and admins change them. The Twilio auth token
 * never comes near the database.
 */
import { z } from "zod";
import type { UserTx } from "@/lib/db/with-user";
import { normalizePhone } from "@/lib/leads/phone";
import { AppError } from "@/lib/server/app-error";

/** A sending number as the settings page shows it (a business number, not personal data). */
export interface SendingNumber {
  id: string;
  phoneNumber: string | null;
  messagingServiceSid: string | null;
  label: string | null;
  createdAt: Date;
}

/** Input of the "add sending number" form: exactly one of the two. */
export const sendingNumberSchema = z.object({
  address: z.string().trim().min(1, "Enter a phone number or a Messaging Service SID").max(40),
  label: z.string().trim().max(60).optional(),
});

/** The dealership's sending numbers, oldest first (the first is the default sender). */
export async function listSendingNumbers(tx: UserTx, dealershipId: string): Promise<SendingNumber[]> {
  const rows = await tx`
    select id, phone_number, messaging_service_sid, label, created_at from public.sending_numbers
    where dealership_id = ${dealershipId} order by created_at, id`;
  return rows.map((r) => ({ id: r.id, phoneNumber: r.phone_number, messagingServiceSid: r.messaging_service_sid, label: r.label, createdAt: r.created_at }));
}

/** Add a number or Messaging Service (owners and admins; RLS enforces it). */
export async function addSendingNumber(tx: UserTx, dealershipId: string, input: z.infer<typeof sendingNumberSchema>): Promise<string> {
  const isService = /^MG[0-9a-f]{32}$/.test(input.address);
  const phone = isService ? null : normalizePhone(input.address);
  if (phone && !phone.ok) throw new AppError("invalid_input", "That is not a valid phone number.", { address: [phone.reason] });
  const [row] = await tx`
    insert into public.sending_numbers (dealership_id, phone_number, messaging_service_sid, label)
    values (${dealershipId}, ${phone?.ok ? phone.e164 : null}, ${isService ? input.address : null}, ${input.label || null})
    returning id`.catch((err: { code?: string }) => {
    if (err?.code === "23505") throw new AppError("conflict", "That number is already registered.");
    throw err;
  });
  // The database audits the insert (sending_number.added).
  return row!.id as string;
}

/** Remove a sending number; conversations keep their history and fall back to the default. */
export async function removeSendingNumber(tx: UserTx, dealershipId: string, id: string): Promise<void> {
  const rows = await tx`delete from public.sending_numbers where dealership_id = ${dealershipId} and id = ${id} returning id`;
  // The database audits the delete (sending_number.removed).
  if (rows.length === 0) throw new AppError("not_found", "No such sending number.");
}
