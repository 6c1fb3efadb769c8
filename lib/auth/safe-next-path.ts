/**
 * Open-redirect guard for `next=`: only a same-origin absolute path survives; anything else
 * (other origins, protocol-relative `//host`, backslash tricks, control characters, encoded
 * slashes or dots that normalize into `//host`) falls back.
 */
const BASE = "http://same-origin.invalid";

/** True when a path is safe to put in a Location header as it is. */
function isPlainSameOriginPath(path: string): boolean {
  if (!path.startsWith("/") || path.startsWith("//")) return false;
  // Control characters (tab, CR, LF, NUL...), backslashes (browsers read `\` as `/`) and spaces.
  if (/[\u0000-\u0020\u007f\\]/.test(path)) return false;
  // Encoded control characters anywhere, and encoded slashes or backslashes in the path: never in
  // our own links, and a later decoding step (a proxy, a framework) could make them a `//host`.
  if (/%(?:[01][0-9a-f]|7f)/i.test(path)) return false;
  if (/%(?:2f|5c)/i.test(path.split(/[?#]/, 1)[0]!)) return false;
  return true;
}

/** Return `raw` normalized if it is a same-origin path outside /login, else `fallback`. */
export function safeNextPath(raw: string | null | undefined, fallback = "/dashboard"): string {
  if (!raw || raw.length > 512 || !isPlainSameOriginPath(raw)) return fallback;
  try {
    const url = new URL(raw, BASE);
    if (url.origin !== BASE) return fallback;
    const normalized = `${url.pathname}${url.search}${url.hash}`;
    // Dot segments (`/.//x`, `/%2e//x`, `/a/..//x`) normalize into `//x`: check what is returned,
    // not only what came in, and require a fixpoint so no second pass can change its meaning.
    if (!isPlainSameOriginPath(normalized)) return fallback;
    const again = new URL(normalized, BASE);
    if (again.origin !== BASE || `${again.pathname}${again.search}${again.hash}` !== normalized) return fallback;
    if (/^\/login(?:[/?#]|$)/i.test(url.pathname)) return fallback;
    return normalized;
  } catch {
    return fallback;
  }
}
