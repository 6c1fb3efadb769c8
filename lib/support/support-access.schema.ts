/**
 * The inputs of support access (a platform operator's time-limited, audited read access to one
 * dealership, granted by its owner) and the fixed choices the owner picks from. The database
 * checks the same rules again (supabase/migrations/20261130086000_support_access.sql).
 */
import { z } from "zod";

/** How long an owner may let an operator in, in minutes (the database accepts exactly these). */
export const SUPPORT_DURATIONS = [
  { minutes: 30, label: "30 minutes" },
  { minutes: 60, label: "1 hour" },
  { minutes: 240, label: "4 hours" },
  { minutes: 480, label: "8 hours" },
  { minutes: 1440, label: "24 hours" },
] as const;
export const DEFAULT_SUPPORT_MINUTES = 60;

/** A request nobody answered within this long can no longer be granted (private.support_request_ttl). */
export const SUPPORT_REQUEST_TTL_MS = 24 * 3600 * 1000;

export const supportRequestSchema = z.object({
  dealershipId: z.uuid({ error: "Choose a dealership." }),
  reason: z
    .string()
    .trim()
    .min(10, { error: "Say why you need access (at least 10 characters)." })
    .max(500, { error: "Keep the reason under 500 characters." }),
});

export const supportGrantSchema = z.object({
  requestId: z.uuid(),
  minutes: z.coerce
    .number()
    .int()
    .refine((m) => SUPPORT_DURATIONS.some((d) => d.minutes === m), { error: "Choose one of the offered durations." }),
});

export const supportRequestIdSchema = z.object({ requestId: z.uuid() });

/** How each state of a request reads in the owner's and the operator's lists. */
export const SUPPORT_STATUS_LABELS = {
  pending: "Waiting for the owner",
  granted: "Granted",
  denied: "Denied",
  revoked: "Ended early",
  expired: "Expired",
} as const;
