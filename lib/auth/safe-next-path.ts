/**
 * Open-redirect guard for `next=`: only a same-origin absolute path survives; anything else
 * (other origins, protocol-relative `//host`, backslash tricks, control characters) falls back.
 */
export function safeNextPath(raw: string | null | undefined, fallback = "/dashboard"): string {
  if (!raw || raw.length > 512) return fallback;
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return fallback;
  // Encoded control characters or backslashes are harmless in a Location header, but never legitimate.
  if (/%(?:[01][0-9a-f]|7f|5c)/i.test(raw)) return fallback;
  try {
    const base = "http://same-origin.invalid";
    const url = new URL(raw, base);
    if (url.origin !== base) return fallback;
    if (url.pathname.startsWith("/login")) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
