/**
 * Operators assign the platform's Twilio numbers to dealerships and release them (the operator
 * console). Twilio is asked first, outside the transaction, that the platform's account owns the
 * number (and the registered Messaging Services' pools are re-read), as a dealership's own
 * registration does; then public.platform_assign_sending_number decides as the signed-in
 * operator: platform permission, one dealership per number (RL095), audited in the dealership's log.
 */
import { z } from "zod";
import type { VerifiedClaims } from "@/lib/auth/claims";
import { withAccount } from "@/lib/db/scope";
import { normalizePhone } from "@/lib/leads/phone";
import { AppError, ownSqlError } from "@/lib/server/app-error";
import { confirmPlatformOwnership } from "@/lib/sms/sending-number-ownership";
import { twilioAccountInventoryFromEnv, type TwilioAccountInventory } from "@/lib/sms/twilio-account";

/** The console's "assign a number" form. */
export const assignNumberSchema = z.object({
  dealershipId: z.uuid(),
  phoneNumber: z.string().trim().min(1, "Enter one of the platform's Twilio numbers.").max(40),
  label: z.string().trim().max(60).optional(),
});

/** The console's "release" button. */
export const releaseNumberSchema = z.object({
  dealershipId: z.uuid(),
  address: z.string().trim().min(1).max(40),
});

/** Assign a platform number to a dealership as the operator; returns the sending number's id. */
export async function assignSendingNumberAsOperator(
  claims: VerifiedClaims,
  input: z.input<typeof assignNumberSchema>,
  twilio: TwilioAccountInventory = twilioAccountInventoryFromEnv(),
): Promise<string> {
  const v = assignNumberSchema.parse(input);
  const phone = normalizePhone(v.phoneNumber, "US");
  if (!phone.ok) {
    throw new AppError("invalid_input", "That is not a valid phone number.", { phoneNumber: [phone.reason] });
  }
  await confirmPlatformOwnership({ kind: "phone_number", e164: phone.e164 }, twilio);
  const [row] = await withAccount(
    claims,
    ({ sql }) =>
      sql<{ id: string }[]>`
        select public.platform_assign_sending_number(${v.dealershipId}, ${phone.e164}, ${v.label || null}) as id`,
  ).catch((err: unknown) => {
    throw ownSqlError(err) ?? err;
  });
  return row!.id;
}

/** Release one of a dealership's numbers as the operator; false when the dealership has no such number. */
export async function releaseSendingNumberAsOperator(
  claims: VerifiedClaims,
  input: z.input<typeof releaseNumberSchema>,
): Promise<boolean> {
  const v = releaseNumberSchema.parse(input);
  const [row] = await withAccount(
    claims,
    ({ sql }) =>
      sql<{ released: boolean }[]>`
        select public.platform_release_sending_number(${v.dealershipId}, ${v.address}) as released`,
  );
  return row!.released;
}
