import "server-only";
/**
 * A Supabase client for the current request (never a shared one), reading and writing the session
 * cookies through next/headers. The browser never gets a Supabase client: sign-in and sign-out
 * are server actions, so tokens stay in HttpOnly cookies.
 */
import { createServerClient } from "@supabase/ssr";
import { cookies } from "next/headers";
import { serverEnv } from "@/lib/env/server-env";
import { sessionCookieOptions } from "./cookie-options";

/**
 * Create the request-scoped Supabase server client. `headers` go to the Auth server with each
 * call: the sign-in forwards the browser's User-Agent, so the session list can name the device.
 */
export async function createSupabaseServerClient(headers: Record<string, string> = {}) {
  const cookieStore = await cookies();
  const env = serverEnv();
  return createServerClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY, {
    cookieOptions: sessionCookieOptions,
    cookies: {
      getAll: () => cookieStore.getAll(),
      setAll: (toSet) => {
        try {
          for (const { name, value, options } of toSet)
            cookieStore.set(name, value, { ...options, ...sessionCookieOptions, name });
        } catch {
          // Server Components cannot set cookies; middleware.ts already refreshed the session.
        }
      },
    },
    auth: { autoRefreshToken: false, detectSessionInUrl: false },
    global: { headers },
  });
}
