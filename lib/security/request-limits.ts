/**
 * How large a request body the app accepts. Everything but the lead import is small (forms, JSON,
 * a pasted do-not-contact list of at most 400,000 characters), so the global limit is 1 MB:
 * Next.js buffers up to this much of a body for the middleware and for server actions, before
 * anyone is authenticated. The import routes skip the middleware and read their own bodies,
 * capped, only after the user is verified (lib/leads/import/upload-form.ts).
 */

/** Largest body accepted anywhere except the import routes. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** The same limit in the notation next.config.ts takes. */
export const MAX_REQUEST_BODY_SIZE = "1mb";

/** True when a request declares a body over the global limit (checked before it is read). */
export function declaresOversizedBody(headers: Headers): boolean {
  const declared = Number(headers.get("content-length") ?? 0);
  return Number.isFinite(declared) && declared > MAX_REQUEST_BODY_BYTES;
}
