/**
 * When the inbox's poller asks again. Normally every few seconds; after a refusal it backs off, so
 * a user with several tabs open (or a server in trouble) is never hammered: a 429 waits as long as
 * the server's Retry-After says, other failures (5xx, offline, a thread no longer visible) wait
 * twice as long each time, up to a minute. Pure; the browser and the tests share it.
 */

/** The normal interval between polls of a visible inbox. */
export const POLL_MS = 4000;
const MAX_BACKOFF_MS = 60_000;
/** A Retry-After beyond this is not believed (a misconfigured proxy must not freeze the inbox). */
const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** Retry-After in milliseconds from now: delay-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP date is always in GMT ("Wed, 21 Oct 2015 07:28:00 GMT"); Date.parse alone would take "-5" for a year.
  const at = /GMT$/.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * The wait before the next poll, given the last answer (status null: the request never got one)
 * and how many polls in a row have now failed (0 after a success).
 */
export function nextPollDelay(
  answer: { status: number | null; retryAfter?: string | null },
  failuresInARow: number,
  now: number = Date.now(),
): number {
  const { status } = answer;
  if (status !== null && status >= 200 && status < 300) return POLL_MS;
  const backoff = Math.min(MAX_BACKOFF_MS, POLL_MS * 2 ** Math.max(1, failuresInARow));
  if (status === 429) {
    const asked = retryAfterMs(answer.retryAfter ?? null, now);
    return asked === null ? backoff : Math.min(MAX_RETRY_AFTER_MS, Math.max(POLL_MS, asked));
  }
  return backoff;
}
