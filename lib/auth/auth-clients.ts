import "server-only";
/**
 * Supabase Auth clients that hold no session cookies: the admin client (service-role key, for
 * Auth's admin API only: sending invitations) and a throwaway anon client (password checks for
 * step-up, password-reset e-mails). Each call gets a fresh client; nothing is persisted. They are
 * supabase-js's own Auth client (GoTrueClient), without the rest of supabase-js (no Realtime).
 */
import { AuthClient } from "@supabase/supabase-js";
import { serverEnv } from "@/lib/env/server-env";

function authClient(key: string, headers: Record<string, string>, flowType: "implicit" | "pkce" = "implicit") {
  return new AuthClient({
    url: `${serverEnv().SUPABASE_URL}/auth/v1`,
    headers: { apikey: key, Authorization: `Bearer ${key}`, ...headers },
    persistSession: false,
    autoRefreshToken: false,
    detectSessionInUrl: false,
    flowType,
  });
}

/** Auth's admin API (`.admin`: invitations). The service-role key never reaches a browser or the database. */
export function authAdminClient() {
  return authClient(serverEnv().SUPABASE_SERVICE_ROLE_KEY, {});
}

/**
 * A one-off anon client. `implicit` flow so a password-reset e-mail carries a plain token hash
 * (our /auth/confirm page verifies it server-side) rather than a PKCE code tied to this client.
 */
export function throwawayAuthClient(headers: Record<string, string> = {}) {
  return authClient(serverEnv().SUPABASE_ANON_KEY, headers);
}
