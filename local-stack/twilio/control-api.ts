/**
 * The emulator's own endpoints under /__emulator (not Twilio's API): inject faults, force a
 * delivery outcome, refuse the create call for a recipient, give the account a Messaging Service or phone numbers (beyond the fixture in
 * owned-inventory.ts), inspect messages, make a phone reply.
 * Unauthenticated on purpose: the emulator listens on loopback and only in local mode.
 */
import type { EmulatorContext, Reply } from "./context";
import { receiveInbound } from "./inbound";
import type { FaultMode } from "./message-store";

const FAULT_MODES: FaultMode[] = ["429", "500", "503", "none"];
const OUTCOMES = ["delivered", "undelivered", "failed"] as const;

const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const bad = (message: string): Reply => ({ status: 400, body: { error: message } });

/** Route one /__emulator request; null when the path is not a control endpoint. */
export async function controlApi(
  ctx: EmulatorContext,
  method: string,
  url: URL,
  fields: Record<string, unknown>,
): Promise<Reply | null> {
  const route = `${method} ${url.pathname}`;
  switch (route) {
    case "POST /__emulator/faults": {
      const mode = str(fields.mode) as FaultMode | undefined;
      if (!mode || !FAULT_MODES.includes(mode)) return bad(`mode must be one of ${FAULT_MODES.join(", ")}`);
      const count = Math.max(0, Math.floor(Number(fields.count ?? 1)));
      ctx.store.fault = { mode, remaining: mode === "none" ? 0 : count };
      return { status: 200, body: ctx.store.fault };
    }
    case "POST /__emulator/outcomes": {
      const to = str(fields.to);
      const status = str(fields.status) as (typeof OUTCOMES)[number] | undefined;
      if (!to || !status || !OUTCOMES.includes(status))
        return bad("to and status (delivered|undelivered|failed) are required");
      const errorCode = fields.errorCode === undefined ? null : Number(fields.errorCode);
      if (status === "delivered") ctx.store.outcomes.delete(to);
      else ctx.store.outcomes.set(to, { status, errorCode });
      return { status: 200, body: { to, status, errorCode } };
    }
    case "POST /__emulator/rejections": {
      // The create call for `to` fails with Twilio's `code` (e.g. 21211, 21614, 21610); code null lifts it.
      const to = str(fields.to);
      if (!to) return bad("to is required");
      const code = fields.code === undefined || fields.code === null ? null : Number(fields.code);
      if (code !== null && !(Number.isInteger(code) && code >= 20000 && code <= 99999))
        return bad("code must be a Twilio error code");
      if (code === null) ctx.store.rejections.delete(to);
      else ctx.store.rejections.set(to, code);
      return { status: 200, body: { to, code } };
    }
    case "POST /__emulator/messaging-services": {
      const sid = str(fields.sid);
      const numbers = Array.isArray(fields.numbers)
        ? fields.numbers.filter((n): n is string => typeof n === "string")
        : [];
      if (!sid || numbers.length === 0) return bad("sid and numbers[] are required");
      ctx.store.setService(sid, numbers, str(fields.friendlyName));
      return { status: 200, body: { sid, numbers } };
    }
    case "POST /__emulator/incoming-phone-numbers": {
      const numbers = Array.isArray(fields.numbers)
        ? fields.numbers.filter((n): n is string => typeof n === "string" && /^\+[1-9]\d{6,14}$/.test(n))
        : [];
      if (numbers.length === 0) return bad("numbers[] (E.164) are required");
      ctx.store.addPhoneNumbers(numbers);
      return { status: 200, body: { numbers } };
    }
    case "GET /__emulator/messages": {
      const q = (k: string) => url.searchParams.get(k) ?? undefined;
      const messages = ctx.store.list({ to: q("to"), from: q("from"), number: q("number") });
      return { status: 200, body: { messages } };
    }
    case "POST /__emulator/inbound": {
      const [from, to, body] = [str(fields.from), str(fields.to), str(fields.body)];
      if (!from || !to || body === undefined) return bad("from, to and body are required");
      const inboundUrl = new URL("/api/twilio/inbound", ctx.appBaseUrl).href;
      const result = await receiveInbound(
        ctx,
        { from, to, body, messagingServiceSid: str(fields.messagingServiceSid), messageSid: str(fields.messageSid) },
        inboundUrl,
      );
      return { status: 200, body: result };
    }
    case "POST /__emulator/reset":
      ctx.store.reset();
      return { status: 200, body: { reset: true } };
    default:
      return url.pathname.startsWith("/__emulator/")
        ? { status: 404, body: { error: "no such emulator endpoint" } }
        : null;
  }
}
