/**
 * Structured JSON logs (pino) without personal data. Every line carries the request id of the
 * request it belongs to (an AsyncLocalStorage set by userRoute / userAction / the readiness route),
 * known PII paths are censored, and anything that looks like a phone number in a message or string
 * field is masked to its last four digits, as maskPhone does, so a careless interpolation cannot leak one.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import pino, { type DestinationStream, type Logger } from "pino";

const requestContext = new AsyncLocalStorage<{ requestId: string }>();

/**
 * Field names that hold personal data wherever they appear (top level or one level down). Logged
 * objects are ids, codes and counts; these are censored in case a caller passes a row by mistake.
 */
export const PII_KEYS = [
  "phone",
  "to",
  "from",
  "To",
  "From",
  "Body",
  "body",
  "email",
  "name",
  "first_name",
  "last_name",
  "firstName",
  "lastName",
  "address",
  "password",
  "token",
  "authorization",
  "cookie",
];
export const REDACTED_PATHS = [...PII_KEYS, ...PII_KEYS.map((k) => `*.${k}`)];

/** E.164 or long digit runs that look like phone numbers (keeps the last four digits). */
const PHONE_LIKE = /(?<![\w-])\+?\d[\d\s().-]{6,}\d(?![\w-])/g;
const UUID_START = /^[0-9a-f]{8}-[0-9a-f]{4}-/i;
const EMAIL_LIKE = /[^\s@<>"']+@[^\s@<>"']+\.[a-z]{2,}/gi;

/** Mask phone numbers and e-mail addresses inside free text. */
export function scrubText(text: string): string {
  return text.replace(EMAIL_LIKE, "[email]").replace(PHONE_LIKE, (m) => {
    const digits = m.replace(/\D/g, "");
    // Not ids (UUIDs) or dates; a national number has at least 10 digits, an E.164 one a "+".
    if (UUID_START.test(m)) return m;
    return digits.length >= 10 || (m.startsWith("+") && digits.length >= 8) ? `…${digits.slice(-4)}` : m;
  });
}

function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrubText(value);
  if (depth > 3 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === "requestId" ? v : scrubValue(v, depth + 1)]),
  );
}

/** A logger writing to `destination` (stdout by default); tests pass a stream to capture lines. */
export function createLogger(destination?: DestinationStream): Logger {
  return pino(
    {
      level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
      base: undefined,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      mixin: () => {
        const ctx = requestContext.getStore();
        return ctx ? { requestId: ctx.requestId } : {};
      },
      formatters: { log: (obj) => scrubValue(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === "string" ? scrubText(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

let shared: Logger | undefined;

/** The process-wide logger. */
export function logger(): Logger {
  return (shared ??= createLogger());
}

/** The id of the request the caller is serving (set by withRequestId), if any. */
export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

/**
 * Run fn with a request id on every log line it writes: the incoming `x-request-id` when it is a
 * plausible id (the middleware sets one), else a fresh one.
 */
export function withRequestId<T>(incoming: string | null | undefined, fn: () => T): T {
  const requestId = incoming && /^[A-Za-z0-9-]{8,64}$/.test(incoming) ? incoming : randomUUID();
  return requestContext.run({ requestId }, fn);
}
