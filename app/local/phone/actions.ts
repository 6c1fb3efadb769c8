"use server";
/**
 * The test phone's two actions, local mode only (everywhere else they answer "not found", like
 * the page, before anything else) and only for a signed-in member of a dealership (`next dev`
 * listens on every interface): read what a number exchanged with the active dealership at the
 * Twilio emulator, and text that dealership from it. The emulator signs the webhook and posts it
 * to the real inbound route.
 */
import { z } from "zod";
import { isLocalStack, serverEnv } from "@/lib/env/server-env";
import { normalizePhone } from "@/lib/leads/phone";
import { AppError } from "@/lib/server/app-error";
import { userAction, type ActionResult, type ServerAction } from "@/lib/server/user-action";
import type { UserContext } from "@/lib/server/user-context";
import { MAX_BODY_CHARS } from "@/lib/sms/message-limits";
import { listSendingNumbers } from "@/lib/sms/sending-numbers";
import { emulatorConversation, emulatorSendInbound } from "@/local-stack/twilio/emulator-client";

/** One message as the phone shows it. */
export interface PhoneMessage {
  sid: string;
  /** "in": this phone received it; "out": this phone sent it. */
  side: "in" | "out";
  counterpart: string | null;
  body: string;
  status: string;
  errorCode: number | null;
  at: string;
}

const phone = z
  .string()
  .trim()
  .max(40)
  .transform((raw, ctx) => {
    const parsed = normalizePhone(raw);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: `Not a usable number: ${parsed.reason}.` });
      return z.NEVER;
    }
    return parsed.e164;
  });

const sendSchema = z.object({
  from: phone,
  to: phone,
  body: z.string().min(1, "Type a message first.").max(MAX_BODY_CHARS),
});

/** The emulator's address in local mode; null everywhere else. */
function emulatorUrl(): string | null {
  return (isLocalStack() && serverEnv().TWILIO_API_BASE_URL) || null;
}

/** Answer "not found" outside local mode, before the user or the input is looked at. */
function localOnly<T>(action: ServerAction<T>): ServerAction<T> {
  const inner = action as (...args: unknown[]) => Promise<ActionResult<T>>;
  return async function localAction(...args: unknown[]): Promise<ActionResult<T>> {
    if (!emulatorUrl())
      return { ok: false, error: { code: "not_found", message: "The test phone exists only in local mode." } };
    return inner(...args);
  };
}

/** The active dealership's sending numbers and Messaging Services. */
async function dealershipAddresses(ctx: UserContext): Promise<{ numbers: Set<string>; services: Set<string> }> {
  const sending = await ctx.run(listSendingNumbers);
  return {
    numbers: new Set(sending.flatMap((n) => (n.phoneNumber ? [n.phoneNumber] : []))),
    services: new Set(sending.flatMap((n) => (n.messagingServiceSid ? [n.messagingServiceSid] : []))),
  };
}

/** Everything the number exchanged with the active dealership, oldest first. */
export const loadTestPhoneAction = localOnly(
  userAction(z.string(), async (number, ctx): Promise<{ number: string; messages: PhoneMessage[] }> => {
    const own = phone.safeParse(number);
    if (!own.success) throw new AppError("invalid_input", own.error.issues[0]?.message ?? "Not a usable number.");
    const dealership = await dealershipAddresses(ctx);
    const messages = await emulatorConversation(emulatorUrl()!, own.data);
    // Another dealership's texts to the same number are not this member's to read.
    const ours = messages.filter((m) => {
      const counterpart = m.direction === "inbound" ? m.to : m.from;
      return (
        (counterpart !== null && dealership.numbers.has(counterpart)) ||
        (m.messagingServiceSid !== null && dealership.services.has(m.messagingServiceSid))
      );
    });
    return {
      number: own.data,
      messages: ours.map((m) => {
        const out = m.direction === "inbound";
        return {
          sid: m.sid,
          side: out ? "out" : "in",
          counterpart: out ? m.to : m.from,
          body: m.body,
          status: m.status,
          errorCode: m.errorCode,
          at: m.dateCreated,
        };
      }),
    };
  }),
);

/** Text the dealership from the test phone; returns the app's HTTP answer and any TwiML replies. */
export const sendFromTestPhoneAction = localOnly(
  userAction(sendSchema, async ({ from, to, body }, ctx) => {
    const dealership = await dealershipAddresses(ctx);
    if (!dealership.numbers.has(to)) throw new AppError("forbidden", "Text one of your dealership's own numbers.");
    const result = await emulatorSendInbound(emulatorUrl()!, { from, to, body });
    return { appStatus: result.appStatus, replies: result.replies.length };
  }),
);
