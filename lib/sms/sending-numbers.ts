/**
 * A dealership's sending numbers (Settings): a Twilio number in E.164 or a Messaging Service SID.
 * Every member reads them; owners and admins register them through public.register_sending_number,
 * and only what the platform's Twilio account owns and no other dealership uses
 * (lib/sms/sending-number-ownership.ts). The Twilio auth token never comes near the database.
 */
import type { CountryCode } from "libphonenumber-js";
import { z } from "zod";
import type { RunInScope, UserScope } from "@/lib/db/scope";
import { normalizePhone } from "@/lib/leads/phone";
import { AppError, ownSqlError } from "@/lib/server/app-error";
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

/** The dealership's sending numbers, oldest first (the first is the default sender). */
export async function listSendingNumbers({ sql, dealershipId }: UserScope): Promise<SendingNumber[]> {
  const rows = await sql<
    {
      id: string;
      phone_number: string | null;
      messaging_service_sid: string | null;
      label: string | null;
      created_at: Date;
    }[]
  >`
    select id, phone_number, messaging_service_sid, label, created_at from public.sending_numbers
    where dealership_id = ${dealershipId} order by created_at, id`;
  return rows.map((r) => ({
    id: r.id,
    phoneNumber: r.phone_number,
    messagingServiceSid: r.messaging_service_sid,
    label: r.label,
    createdAt: r.created_at,
  }));
}

/** The form's address as a phone number (E.164) or a Messaging Service SID; AppError when neither. */
export function parseSendingAddress(raw: string, region: CountryCode = "US"): SendingAddress {
  if (/^MG[0-9a-f]{32}$/.test(raw)) return { kind: "messaging_service", sid: raw };
  const phone = normalizePhone(raw, region);
  if (!phone.ok) throw new AppError("invalid_input", "That is not a valid phone number.", { address: [phone.reason] });
  return { kind: "phone_number", e164: phone.e164 };
}

/**
 * Why the database refused a registration: our own SQL codes (RL020 not confirmed by Twilio,
 * RL021 in another dealership's service) carry their messages in SQL_ERROR_MESSAGES; a unique
 * violation here says more than the generic "already exists".
 */
function registrationRefusal(err: unknown): unknown {
  const code = (err as { code?: unknown })?.code;
  if (code === "23505") return new AppError("conflict", "That number is already registered.");
  return ownSqlError(err) ?? err;
}

/**
 * Register a number or Messaging Service (owners and admins; the database re-checks the role,
 * the ownership reading and other dealerships' pools). Twilio is asked first, outside the
 * user's transaction, so no transaction waits on the network.
 */
export async function addSendingNumber(
  run: RunInScope<UserScope>,
  input: z.infer<typeof sendingNumberSchema>,
  opts: { twilio?: TwilioAccountInventory; region?: CountryCode } = {},
): Promise<string> {
  // The region (for numbers typed without +1) is the caller's to give: no transaction is open yet.
  const address = parseSendingAddress(input.address, opts.region);
  await confirmPlatformOwnership(address, opts.twilio ?? twilioAccountInventoryFromEnv());
  return run(async ({ sql, dealershipId }) => {
    const [row] = await sql<{ id: string }[]>`
      select public.register_sending_number(
        ${dealershipId},
        ${address.kind === "phone_number" ? address.e164 : null},
        ${address.kind === "messaging_service" ? address.sid : null},
        ${input.label || null}) as id`.catch((err: unknown) => {
      throw registrationRefusal(err);
    });
    return row!.id;
  });
}

/** Remove a sending number; conversations keep their history and fall back to the default. */
export async function removeSendingNumber({ sql, dealershipId }: UserScope, id: string): Promise<void> {
  const rows = await sql<
    { id: string }[]
  >`delete from public.sending_numbers where dealership_id = ${dealershipId} and id = ${id} returning id`;
  // The database audits the delete (sending_number.removed).
  if (rows.length === 0) throw new AppError("not_found", "No such sending number.");
}
