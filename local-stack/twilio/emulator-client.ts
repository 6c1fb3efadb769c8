/**
 * A small client for the emulator's /__emulator endpoints, for tests and the local phone page
 * (local mode only). Base URL: TWILIO_API_BASE_URL.
 */

/** A message as the emulator reports it (full numbers and bodies: local data only). */
export interface EmulatorMessage {
  sid: string;
  direction: "outbound-api" | "outbound-reply" | "inbound";
  from: string | null;
  to: string;
  body: string;
  status: string;
  errorCode: number | null;
  messagingServiceSid: string | null;
  dateCreated: string;
  validityPeriod?: number | null;
}

async function call<T>(baseUrl: string, path: string, init?: { method: string; json?: unknown }): Promise<T> {
  const res = await fetch(new URL(path, baseUrl), {
    method: init?.method ?? "GET",
    headers: init?.json === undefined ? undefined : { "Content-Type": "application/json" },
    body: init?.json === undefined ? undefined : JSON.stringify(init.json),
  });
  if (!res.ok) throw new Error(`Twilio emulator ${path} answered ${res.status}`);
  return (await res.json()) as T;
}

/** Everything a number sent or received, oldest first. */
export async function emulatorConversation(baseUrl: string, number: string): Promise<EmulatorMessage[]> {
  const { messages } = await call<{ messages: EmulatorMessage[] }>(
    baseUrl,
    `/__emulator/messages?number=${encodeURIComponent(number)}`,
  );
  return messages;
}

/** Make a phone text the app: the emulator posts a signed inbound webhook to the app. */
export async function emulatorSendInbound(
  baseUrl: string,
  input: { from: string; to: string; body: string; messagingServiceSid?: string; messageSid?: string },
): Promise<{ messageSid: string; appStatus: number; replies: { sid: string; body: string }[] }> {
  return call(baseUrl, "/__emulator/inbound", { method: "POST", json: input });
}

/** Make the next `count` REST calls answer 429 or 5xx ("none" disarms). */
export async function emulatorInjectFault(
  baseUrl: string,
  mode: "429" | "500" | "503" | "none",
  count = 1,
): Promise<void> {
  await call(baseUrl, "/__emulator/faults", { method: "POST", json: { mode, count } });
}

/** Force how messages to `to` end: undelivered/failed with an error code, or delivered again. */
export async function emulatorForceOutcome(
  baseUrl: string,
  to: string,
  status: "delivered" | "undelivered" | "failed",
  errorCode?: number,
): Promise<void> {
  await call(baseUrl, "/__emulator/outcomes", { method: "POST", json: { to, status, errorCode } });
}

/** Make Twilio refuse the create call for `to` with `code` (21211, 21614, 21610...); null lifts it. */
export async function emulatorRejectRecipient(baseUrl: string, to: string, code: number | null): Promise<void> {
  await call(baseUrl, "/__emulator/rejections", { method: "POST", json: { to, code } });
}
