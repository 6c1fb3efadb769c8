/**
 * A local emulator of Twilio's Messages API (and of the account's phone numbers and Messaging
 * Services, read-only), for the local stack and tests. The unmodified twilio
 * SDK talks to it (lib/sms/base-url-request-client.ts points the SDK's own HTTP client here), so
 * request building, basic auth and response parsing are the real ones. Status callbacks and
 * inbound webhooks are signed with the auth token exactly as Twilio signs them.
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { EmulatorContext, Reply } from "./context";
import { controlApi } from "./control-api";
import { parseFields, readBody, writeJson } from "./http-io";
import { inventoryApi, inventoryPathAccount } from "./inventory-api";
import { MessageStore } from "./message-store";
import { checkBasicAuth, createMessage, fetchMessage, listMessages } from "./messages-api";
import type { Dispatch } from "./signed-webhook";
import { StatusCallbacks } from "./status-callbacks";
import { TwilioApiError, twilioErrors } from "./twilio-errors";

/** How to run one emulator instance. */
export interface TwilioEmulatorOptions {
  /** 0 picks a free port (tests). */
  port: number;
  accountSid: string;
  authToken: string;
  log: (m: string) => void;
  /** The app's public base URL; inbound messages are posted to <appBaseUrl>/api/twilio/inbound. */
  appBaseUrl?: string;
  /** Pause before each status change; default 250 ms. */
  callbackDelayMs?: number;
  /** How webhooks are sent; default fetch. Tests can pass a function that calls a route directly. */
  dispatch?: Dispatch;
}

/** A running emulator. */
export interface RunningTwilioEmulator {
  url: string;
  port: number;
  store: MessageStore;
  stop(): Promise<void>;
}

const MESSAGES = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const MESSAGE = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/([^/]+)\.json$/;

async function restApi(ctx: EmulatorContext, req: IncomingMessage, url: URL, body: string): Promise<Reply> {
  const list = MESSAGES.exec(url.pathname);
  const one = MESSAGE.exec(url.pathname);
  const inventoryAccount = inventoryPathAccount(url.pathname);
  if (!list && !one && inventoryAccount === undefined) throw twilioErrors.notFound(url.pathname);
  // messaging.twilio.com/v1 paths name no account: the credentials alone decide.
  checkBasicAuth(ctx, req, list || one ? (list ?? one)![1]! : (inventoryAccount ?? ctx.accountSid));
  const fault = ctx.store.takeFault();
  if (fault === "429") throw twilioErrors.tooManyRequests();
  if (fault === "500") throw twilioErrors.internal();
  if (fault === "503") throw twilioErrors.serviceUnavailable();
  if (inventoryAccount !== undefined) return inventoryApi(ctx, req.method ?? "GET", url);
  if (list && req.method === "POST") return createMessage(ctx, parseFields(body, req.headers["content-type"]));
  if (list && req.method === "GET") return listMessages(ctx, url);
  if (one && req.method === "GET") return fetchMessage(ctx, one[2]!, url.pathname);
  throw twilioErrors.methodNotAllowed();
}

async function handle(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  try {
    const body = await readBody(req);
    const control = await controlApi(
      ctx,
      req.method ?? "GET",
      url,
      url.pathname.startsWith("/__emulator/") ? parseFields(body, req.headers["content-type"]) : {},
    );
    const reply = control ?? (await restApi(ctx, req, url, body));
    writeJson(res, reply.status, reply.body);
  } catch (err) {
    if (err instanceof TwilioApiError) {
      if (err.status === 401) res.setHeader("WWW-Authenticate", 'Basic realm="Twilio API"');
      writeJson(res, err.status, err.toJSON());
      return;
    }
    ctx.log(`twilio emulator: ${req.method} ${url.pathname} failed: ${(err as Error).message}`);
    writeJson(res, 500, twilioErrors.internal().toJSON());
  }
}

/** Start the emulator on 127.0.0.1:port. */
export async function startTwilioEmulator(opts: TwilioEmulatorOptions): Promise<RunningTwilioEmulator> {
  if (process.env.NODE_ENV === "production") throw new Error("The Twilio emulator is for local mode only.");
  const store = new MessageStore();
  const dispatch = opts.dispatch ?? ((url, init) => fetch(url, init));
  const callbacks = new StatusCallbacks(store, {
    authToken: opts.authToken,
    delayMs: opts.callbackDelayMs ?? 250,
    dispatch,
    log: opts.log,
  });
  const ctx: EmulatorContext = {
    accountSid: opts.accountSid,
    authToken: opts.authToken,
    store,
    callbacks,
    appBaseUrl: opts.appBaseUrl ?? "http://localhost:3000",
    dispatch,
    log: opts.log,
  };
  const server = http.createServer((req, res) => void handle(ctx, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "EADDRINUSE" ? new Error(`Port ${opts.port} (Twilio emulator) is already in use.`) : err),
    );
    server.listen(opts.port, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    store,
    stop: async () => {
      callbacks.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
