/**
 * A dealership's sending numbers (Settings): a Twilio number in E.164 or a Messaging Service SID.
 * Every member reads them; owners and admins register them through public.register_sending_number,
 * and only what the platform's Twilio account owns and no other dealership uses
 * (lib/sms/sending-number-ownership.ts). The Twilio auth token never comes near the database.
 */
import type { CountryCode } from "libphonenumber-js";
import { z } from "zod";
import type { UserTx } from "@/lib/db/with-user";
import { normalizePhone } from "@/lib/leads/phone";
import { AppError } from "@/lib/server/app-error";
import { confirmPlatformOwnership, type SendingAddress } from "./sending-number-ownership";
import { twilioAccountInventoryFromEnv, type TwilioAccountInventory } from "./twilio-account";

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

/** Runs a function in the signed-in user's transaction (UserContext.run, or withUser in tests). */
export type UserRun = <T>(fn: (tx: UserTx) => Promise<T>) => Promise<T>;

/** The dealership's sending numbers, oldest first (the first is the default sender). */
export async function listSendingNumbers(tx: UserTx, dealershipId: string): Promise<SendingNumber[]> {
  const rows = await tx`
    select id, phone_number, messaging_service_sid, label, created_at from public.sending_numbers
    where dealership_id = ${dealershipId} order by created_at, id`;
  return rows.map((r) => ({ id: r.id, phoneNumber: r.phone_number, messagingServiceSid: r.messaging_service_sid, label: r.label, createdAt: r.created_at }));
}

/** The form's address as a phone number (E.164) or a Messaging Service SID; AppError when neither. */
export function parseSendingAddress(raw: string, region: CountryCode = "US"): SendingAddress {
  if (/^MG[0-9a-f]{32}$/.test(raw)) return { kind: "messaging_service", sid: raw };
  const phone = normalizePhone(raw, region);
  if (!phone.ok) throw new AppError("invalid_input", "That is not a valid phone number.", { address: [phone.reason] });
  return { kind: "phone_number", e164: phone.e164 };
}

const REFUSALS: Record<string, AppError> = {
  RL020: new AppError("invalid_input", "Twilio did not confirm this number for the platform. Please try again."),
  RL021: new AppError("conflict", "That number is part of another dealership's Messaging Service."),
  "23505": new AppError("conflict", "That number is already registered."),
};

/**
 * Register a number or Messaging Service (owners and admins; the database re-checks the role,
 * the ownership reading and other dealerships' pools). Twilio is asked first, outside the
 * user's transaction, so no transaction waits on the network.
 */
export async function addSendingNumber(
  run: UserRun,
  dealershipId: string,
  input: z.infer<typeof sendingNumberSchema>,
  opts: { twilio?: TwilioAccountInventory; region?: CountryCode } = {},
): Promise<string> {
  const address = parseSendingAddress(input.address, opts.region);
  await confirmPlatformOwnership(address, opts.twilio ?? twilioAccountInventoryFromEnv());
  return run(async (tx) => {
    const [row] = await tx`
      select public.register_sending_number(
        ${dealershipId},
        ${address.kind === "phone_number" ? address.e164 : null},
        ${address.kind === "messaging_service" ? address.sid : null},
        ${input.label || null}) as id`.catch((err: { code?: string }) => {
      throw REFUSALS[err?.code ?? ""] ?? err;
    });
    return row!.id as string;
  });
}

/** Remove a sending number; conversations keep their history and fall back to the default. */
export async function removeSendingNumber(tx: UserTx, dealershipId: string, id: string): Promise<void> {
  const rows = await tx`delete from public.sending_numbers where dealership_id = ${dealershipId} and id = ${id} returning id`;
  // The database audits the delete (sending_number.removed).
  if (rows.length === 0) throw new AppError("not_found", "No such sending number.");
}
