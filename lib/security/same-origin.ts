/**
 * CSRF defence for cookie-authenticated route handlers. Session cookies are SameSite=Lax, which
 * stops other sites but not another origin of the same site (another port or subdomain), so
 * every state-changing request must come from the app's own origin (APP_BASE_URL, never the
 * Host header, which a proxy may rewrite).
 */

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Why a request may not change state on behalf of the cookie's owner, or null when it may.
 * Browsers send Origin on every cross-origin and same-origin POST and Sec-Fetch-Site on every
 * request; a client sending neither is not a browser, so it carries no victim's cookies by
 * accident (Next.js treats server actions the same way).
 */
export function crossOriginWriteReason(req: Request, appBaseUrl: string): string | null {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return null;
  const origin = req.headers.get("origin");
  if (origin !== null && origin !== new URL(appBaseUrl).origin) return "origin";
  const site = req.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin") return "sec-fetch-site";
  return null;
}
