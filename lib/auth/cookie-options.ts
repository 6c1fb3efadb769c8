/**
 * Cookie settings shared by middleware.ts and server code (Edge-safe: no Node imports).
 * HttpOnly always (the browser never talks to Supabase directly), SameSite=Lax, Secure and the
 * __Host- prefix in production.
 */
const isProduction = process.env.NODE_ENV === "production";

export const SESSION_COOKIE_NAME = isProduction ? "__Host-rl-session" : "rl-session";
export const ACTIVE_DEALERSHIP_COOKIE = isProduction ? "__Host-rl-dealership" : "rl-dealership";

export const sessionCookieOptions = {
  name: SESSION_COOKIE_NAME,
  httpOnly: true,
  sameSite: "lax" as const,
  secure: isProduction,
  path: "/",
};

/** Options of the active-dealership cookie (which dealership the user works in; not a secret). */
export const activeDealershipCookieOptions = {
  httpOnly: true,
  sameSite: "lax" as const,
  secure: isProduction,
  path: "/",
  maxAge: 60 * 60 * 24 * 365,
};
