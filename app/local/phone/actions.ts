"use server";
/**
 * The test phone's two actions, local mode only (everywhere else they answer "not found", like
 * the page) and only for a signed-in member of a dealership (`next dev` listens on every
 * interface): read what a number exchanged with the active dealership at the Twilio emulator,
 * and text that dealership from it. The emulator signs the webhook and posts it to the real
 * inbound route.
 */
import { z } from "zod";
import { isLocalStack, serverEnv } from "@/lib/env/server-env";
import { normalizePhone } from "@/lib/leads/phone";
import { AppError, toAppError } from "@/lib/server/app-error";
import type { ActionResult } from "@/lib/server/user-action";
import { getUserContext } from "@/lib/server/user-context";
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

const phone = z.string().trim().max(40).transform((raw, ctx) => {
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

/** The active dealership's sending numbers and Messaging Services. */
interface DealershipAddresses {
  numbers: Set<string>;
  services: Set<string>;
}

async function localOnly<T>(fn: (baseUrl: string, dealership: DealershipAddresses) => Promise<T>): Promise<ActionResult<T>> {
  try {
    const baseUrl = isLocalStack() ? serverEnv().TWILIO_API_BASE_URL : undefined;
    if (!baseUrl) throw new AppError("not_found", "The test phone exists only in local mode.");
    const ctx = await getUserContext();
    if (!ctx) throw new AppError("unauthenticated", "Sign in as a member of a dealership to use the test phone.");
    const sending = await ctx.run((tx) => listSendingNumbers(tx, ctx.active.dealershipId));
    const dealership = {
      numbers: new Set(sending.flatMap((n) => (n.phoneNumber ? [n.phoneNumber] : []))),
      services: new Set(sending.flatMap((n) => (n.messagingServiceSid ? [n.messagingServiceSid] : []))),
    };
    return { ok: true, data: await fn(baseUrl, dealership) };
  } catch (err) {
    const e = err instanceof z.ZodError ? new AppError("invalid_input", err.issues[0]?.message ?? "Invalid input.") : toAppError(err);
    return { ok: false, error: { code: e.code, message: e.message } };
  }
}

/** Everything the number exchanged with the active dealership, oldest first. */
export async function loadTestPhoneAction(number: string): Promise<ActionResult<{ number: string; messages: PhoneMessage[] }>> {
  return localOnly(async (baseUrl, dealership) => {
    const own = phone.parse(number);
    const messages = await emulatorConversation(baseUrl, own);
    // Another dealership's texts to the same number are not this member's to read.
    const ours = messages.filter((m) => {
      const counterpart = m.direction === "inbound" ? m.to : m.from;
      return (counterpart !== null && dealership.numbers.has(counterpart)) || (m.messagingServiceSid !== null && dealership.services.has(m.messagingServiceSid));
    });
    return {
      number: own,
      messages: ours.map((m) => {
        const out = m.direction === "inbound";
        return { sid: m.sid, side: out ? "out" : "in", counterpart: out ? m.to : m.from, body: m.body, status: m.status, errorCode: m.errorCode, at: m.dateCreated };
      }),
    };
  });
}

/** Text the dealership from the test phone; returns the app's HTTP answer and any TwiML replies. */
export async function sendFromTestPhoneAction(input: { from: string; to: string; body: string }): Promise<ActionResult<{ appStatus: number; replies: number }>> {
  return localOnly(async (baseUrl, dealership) => {
    const { from, to, body } = sendSchema.parse(input);
    if (!dealership.numbers.has(to)) throw new AppError("forbidden", "Text one of your dealership's own numbers.");
    const result = await emulatorSendInbound(baseUrl, { from, to, body });
    return { appStatus: result.appStatus, replies: result.replies.length };
  });
}
