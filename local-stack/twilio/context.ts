/** What every emulator handler shares. */
import type { MessageStore } from "./message-store";
import type { Dispatch } from "./signed-webhook";
import type { StatusCallbacks } from "./status-callbacks";

export interface EmulatorContext {
  accountSid: string;
  authToken: string;
  store: MessageStore;
  callbacks: StatusCallbacks;
  /** Where inbound messages are posted: the app's public base URL. */
  appBaseUrl: string;
  dispatch: Dispatch;
  log: (m: string) => void;
}

/** A handler's answer: status and JSON body (or raw text). */
export interface Reply {
  status: number;
  body: unknown;
}
