import "server-only";
/**
 * Checking a signed-in user's password again (step-up, password change) without touching their
 * session: a throwaway client signs in, and the session that creates is ended at once. Behind the
 * same per-e-mail and per-address limits as sign-in (lib/auth/sign-in.ts).
 */
import { AppError } from "@/lib/server/app-error";
import { throwawayAuthClient } from "./auth-clients";
import { signInWithLimits } from "./sign-in";

/** The one answer to a wrong (or limited) password on a step-up. */
const WRONG_PASSWORD = "That password is not right. After several failed attempts, this pauses for a while.";

/** Throw unless `password` is the user's current password (limited like sign-in). */
export async function confirmPassword(email: string, password: string, clientAddress: string | null): Promise<void> {
  const result = await signInWithLimits({ email, password, clientAddress }, async (e, p) => {
    const client = throwawayAuthClient();
    const { data, error } = await client.signInWithPassword({ email: e, password: p });
    if (error && ((error.status ?? 0) >= 500 || error.name === "AuthRetryableFetchError")) {
      throw new AppError("internal", "Checking the password is unavailable right now. Please try again.");
    }
    if (data.session) await client.signOut({ scope: "local" });
    return !error;
  });
  if (!result.ok) throw new AppError("invalid_input", WRONG_PASSWORD, { password: [WRONG_PASSWORD] });
}
