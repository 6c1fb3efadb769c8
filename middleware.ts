/**
 * Edge-safe work only: a CSP nonce and the security headers on every response, the Supabase
 * session refresh (@supabase/ssr, HttpOnly cookies), and the signed-out gate: pages redirect to
 * /login, API routes answer 401 JSON. Authorization proper happens on the server and in Postgres.
 */
import { createServerClient } from "@supabase/ssr";
import { NextResponse, type NextRequest } from "next/server";
import { sessionCookieOptions } from "@/lib/auth/cookie-options";
import { declaresOversizedBody } from "@/lib/security/request-limits";
import { contentSecurityPolicy, createNonce, STATIC_SECURITY_HEADERS } from "@/lib/security/security-headers";

/** Paths anyone may reach signed out. */
const PUBLIC_PAGE = /^\/(login|auth\/confirm|\.well-known\/)/;
/**
 * Pages that work signed out but use the session when there is one: the local test phone and the
 * local mailbox (someone accepting an invitation is not signed in yet), which answer 404 outside
 * local mode (the pages check; the middleware cannot read the server env).
 */
const SESSION_OPTIONAL_PAGE = /^\/local\/(phone|mailbox)\/?$/;
/**
 * API routes that are public (Twilio's webhooks never reach the middleware, see the matcher). The
 * cron routes (campaigns, purge) authenticate themselves with `Authorization: Bearer CRON_SECRET`.
 */
const PUBLIC_API = /^\/api\/(health|ready|cron\/(campaigns|purge))$/;

export async function middleware(request: NextRequest) {
  const nonce = createNonce();
  const csp = contentSecurityPolicy(nonce, {
    dev: process.env.NODE_ENV === "development",
    https: request.nextUrl.protocol === "https:",
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  // One id per request, on every server log line of it (lib/observability/logger) and in the response.
  const requestId = crypto.randomUUID();
  requestHeaders.set("x-request-id", requestId);
  requestHeaders.set("content-security-policy", csp);

  const { pathname } = request.nextUrl;
  const isApi = pathname.startsWith("/api/");
  let response = NextResponse.next({ request: { headers: requestHeaders } });

  if (declaresOversizedBody(request.headers)) {
    // Refused before anything reads it (a body without a length is cut at the same limit by Next.js).
    response = NextResponse.json(
      { error: { code: "payload_too_large", message: "The request body is too large." } },
      { status: 413 },
    );
  } else if (!(isApi ? PUBLIC_API : PUBLIC_PAGE).test(pathname)) {
    const supabase = createServerClient(process.env.SUPABASE_URL!, process.env.SUPABASE_ANON_KEY!, {
      cookieOptions: sessionCookieOptions,
      cookies: {
        getAll: () => request.cookies.getAll(),
        setAll: (toSet) => {
          for (const { name, value } of toSet) request.cookies.set(name, value);
          response = NextResponse.next({ request: { headers: requestHeaders } });
          for (const { name, value, options } of toSet)
            response.cookies.set(name, value, { ...options, ...sessionCookieOptions, name });
        },
      },
      auth: { detectSessionInUrl: false },
    });
    // Refreshes an expired access token (rotating the refresh token) and verifies the JWT via JWKS.
    const { data } = await supabase.auth.getClaims();
    const signedIn = Boolean(data?.claims?.sub);
    // A session-optional page passes signed out too (still with the refreshed session if any).
    const mayPass = signedIn || (!isApi && SESSION_OPTIONAL_PAGE.test(pathname));
    if (!mayPass && isApi) {
      response = NextResponse.json(
        { error: { code: "unauthenticated", message: "Sign in to use this API." } },
        { status: 401 },
      );
    } else if (!mayPass && pathname !== "/") {
      const login = new URL("/login", request.url);
      login.searchParams.set("next", pathname);
      response = NextResponse.redirect(login);
    } else if (!mayPass) {
      response = NextResponse.redirect(new URL("/login", request.url));
    }
  }

  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("x-request-id", requestId);
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Twilio webhooks and the import uploads skip the middleware: Next.js buffers a body for the
  // middleware before anyone is authenticated, so these routes read (and cap) their own bodies.
  // The import routes verify the user themselves (userRoute) before reading a byte; Twilio's
  // check signatures. next.config.ts still sets the static security headers on them.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|api/twilio/|api/imports).*)"],
};
