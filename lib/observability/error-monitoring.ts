/**
 * Optional error monitoring through Sentry's official SDK for Next.js, on the server only, when
 * SENTRY_DSN is set (without it nothing is initialised and nothing leaves the process). Events
 * must carry no personal data, so: default PII collection is off (SDK 11's `dataCollection`, which
 * replaced `sendDefaultPii`: no user, IP, cookies, headers, bodies, query strings or frame variables),
 * and every event and breadcrumb goes through a scrubber before it is sent. The scrubber keeps
 * the method and path of the request (no query string, headers, cookies or body), drops the user,
 * censors the same PII field names as the logger (message bodies, names, e-mails, phones, tokens)
 * wherever they appear, and masks phone numbers and e-mail addresses in any remaining text with
 * the logger's scrubText. Browser errors are not sent (no client SDK): only the server reports.
 */
import * as Sentry from "@sentry/nextjs";
import type { Breadcrumb, ErrorEvent } from "@sentry/nextjs";
import { setInternalErrorReporter } from "@/lib/server/app-error";
import { currentRequestId, logger, PII_KEYS, scrubText } from "./logger";

const CENSORED = "[redacted]";
/** Field names censored anywhere in an event: the logger's PII names, plus what requests carry. */
const PII_FIELDS = new Set(
  [...PII_KEYS, "cookies", "headers", "data", "query_string", "user", "username", "ip_address", "message", "text"].map(
    (k) => k.toLowerCase(),
  ),
);
/** Contexts the SDK itself fills (runtime, OS...): their `name` fields are not people's names. */
const SDK_CONTEXTS = new Set(["runtime", "os", "device", "app", "culture", "trace", "cloud_resource", "nextjs"]);

/** Strings masked; objects with PII field names censored, to a bounded depth. */
function scrubDeep(value: unknown, censorKeys: boolean, depth = 0): unknown {
  if (typeof value === "string") return scrubText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 8) return "[truncated]";
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, censorKeys, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      censorKeys && PII_FIELDS.has(k.toLowerCase()) ? CENSORED : scrubDeep(v, censorKeys, depth + 1),
    ]),
  );
}

/** A URL without its query string or fragment (which could carry a token or an address). */
function pathOnly(url: string): string {
  const cut = url.search(/[?#]/);
  return scrubText(cut < 0 ? url : url.slice(0, cut));
}

/** What may leave the process of a breadcrumb: masked message, censored data, URLs without queries. */
function scrubBreadcrumb(crumb: Breadcrumb): Breadcrumb | null {
  const data = crumb.data ? (scrubDeep(crumb.data, true) as Record<string, unknown>) : undefined;
  if (data && typeof crumb.data?.url === "string") data.url = pathOnly(crumb.data.url);
  return { ...crumb, message: crumb.message === undefined ? undefined : scrubText(crumb.message), data };
}

/** What may leave the process of an event (see the module comment). */
function scrubEvent(event: ErrorEvent): ErrorEvent {
  const out: ErrorEvent = { ...event };
  if (out.request) out.request = { method: out.request.method, url: out.request.url && pathOnly(out.request.url) };
  delete out.user;
  if (out.message) out.message = scrubText(out.message);
  if (out.logentry) {
    out.logentry = {
      message: out.logentry.message && scrubText(out.logentry.message),
      params: out.logentry.params?.map(() => CENSORED),
    };
  }
  if (out.exception?.values) {
    out.exception = {
      values: out.exception.values.map((ex) => ({
        ...ex,
        value: ex.value && scrubText(ex.value),
        stacktrace: ex.stacktrace && {
          ...ex.stacktrace,
          frames: ex.stacktrace.frames?.map((frame) => ({ ...frame, vars: undefined })),
        },
      })),
    };
  }
  if (out.breadcrumbs) out.breadcrumbs = out.breadcrumbs.map(scrubBreadcrumb).filter((b): b is Breadcrumb => !!b);
  if (out.extra) out.extra = scrubDeep(out.extra, true) as typeof out.extra;
  if (out.contexts) {
    out.contexts = Object.fromEntries(
      Object.entries(out.contexts).map(([k, v]) => [k, scrubDeep(v, !SDK_CONTEXTS.has(k))]),
    ) as typeof out.contexts;
  }
  const nextjs = out.contexts?.nextjs as { request_path?: unknown } | undefined;
  if (nextjs && typeof event.contexts?.nextjs?.request_path === "string") {
    nextjs.request_path = pathOnly(event.contexts.nextjs.request_path);
  }
  if (out.tags) out.tags = scrubDeep(out.tags, true) as typeof out.tags;
  const requestId = currentRequestId();
  if (requestId) out.tags = { ...out.tags, request_id: requestId };
  return out;
}

let enabled = false;

/**
 * Start Sentry when the environment has a DSN; returns whether it did. Also reports the internal
 * errors toAppError turns into a generic message (otherwise only logged), by name and code only.
 */
export function initErrorMonitoring(env: {
  SENTRY_DSN?: string;
  SENTRY_ENVIRONMENT?: string;
  NODE_ENV?: string;
}): boolean {
  if (!env.SENTRY_DSN || enabled) return enabled;
  Sentry.init({
    dsn: env.SENTRY_DSN,
    environment: env.SENTRY_ENVIRONMENT ?? env.NODE_ENV ?? "production",
    // SDK 11's successor of `sendDefaultPii: false`: collect none of the data that can be personal.
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpHeaders: false,
      httpBodies: [],
      urlQueryParams: false,
      graphQL: { document: false, variables: false },
      genAI: { inputs: false, outputs: false },
      databaseQueryData: false,
      queues: false,
      stackFrameVariables: false,
      // Source lines around each frame can hold literals; the file, function and line are enough.
      frameContextLines: 0,
    },
    // Errors only: no performance tracing, no session replay, no logs shipped.
    tracesSampleRate: 0,
    maxBreadcrumbs: 50,
    beforeSend: scrubEvent,
    beforeBreadcrumb: scrubBreadcrumb,
  });
  setInternalErrorReporter((fields) => {
    logger().error(fields, "internal error");
    Sentry.captureMessage(`internal error: ${fields.errorName}`, { level: "error", extra: { detail: fields.detail } });
  });
  enabled = true;
  return true;
}

/** Next.js's onRequestError hook (instrumentation.ts): report an uncaught server error, scrubbed. */
export function reportRequestError(...args: Parameters<typeof Sentry.captureRequestError>): void {
  if (enabled) Sentry.captureRequestError(...args);
}
