import "server-only";
/**
 * Before a dealership registers a number or a Messaging Service: ask Twilio that the platform's
 * account owns it, re-read the pools of every registered service (so a number moved into
 * another dealership's service since is seen), and record all of it for the database, which
 * makes the final decision in public.register_sending_number.
 */
import { AppError } from "@/lib/server/app-error";
import type { TwilioAccountInventory } from "./twilio-account";
import { recordTwilioReading, registeredMessagingServiceSids } from "./twilio-inventory-db";

/** A sending address as the form gave it, normalized. */
export type SendingAddress = { kind: "phone_number"; e164: string } | { kind: "messaging_service"; sid: string };

const NOT_OWNED = "That is not a number of this platform's Twilio account. Ask the platform to add it first.";
const NOT_OWNED_SERVICE = "That is not a Messaging Service of this platform's Twilio account.";

/** Pools of the given services, a few requests at a time; a service Twilio no longer has is skipped. */
async function readPools(twilio: TwilioAccountInventory, sids: string[]): Promise<{ sid: string; pool: string[] }[]> {
  const out: { sid: string; pool: string[] }[] = [];
  for (let i = 0; i < sids.length; i += 4) {
    const batch = sids.slice(i, i + 4);
    const pools = await Promise.all(batch.map((sid) => twilio.messagingServicePool(sid)));
    batch.forEach((sid, j) => pools[j] && out.push({ sid, pool: pools[j]! }));
  }
  return out;
}

/** Confirm with Twilio that the platform owns `address`, and record what Twilio said; AppError otherwise. */
export async function confirmPlatformOwnership(address: SendingAddress, twilio: TwilioAccountInventory): Promise<void> {
  const reading = { phoneNumbers: [] as string[], services: [] as { sid: string; pool: string[] }[] };
  if (address.kind === "phone_number") {
    if (!(await twilio.ownsPhoneNumber(address.e164)))
      throw new AppError("invalid_input", NOT_OWNED, { address: [NOT_OWNED] });
    reading.phoneNumbers.push(address.e164);
  } else {
    const pool = await twilio.messagingServicePool(address.sid);
    if (!pool) throw new AppError("invalid_input", NOT_OWNED_SERVICE, { address: [NOT_OWNED_SERVICE] });
    reading.services.push({ sid: address.sid, pool });
  }
  const registered = (await registeredMessagingServiceSids()).filter(
    (sid) => address.kind !== "messaging_service" || sid !== address.sid,
  );
  reading.services.push(...(await readPools(twilio, registered)));
  await recordTwilioReading(reading);
}
