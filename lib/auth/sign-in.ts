import "server-only";
/**
 * Password sign-in behind limits that no client address can reset: 5 failed attempts a minute
 * and 20 an hour per e-mail address, plus 30 a minute per client address (password spraying).
 * Every attempt takes a slot before the password is checked, so parallel guesses cannot overrun
 * a limit; a successful sign-in gives its slots back, so staff who sign in often never lock
 * themselves out. A refused attempt never reaches the Auth server, and every failure answers the
 * same message no sooner than the same floor, so neither text nor timing tells "wrong password"
 * from "limited" or a registered e-mail from an unknown one.
 */
import { refundRateLimitSlot, takeRateLimitSlot, type RateLimitName } from "@/lib/rate-limit/rate-limit";

/** The one answer to every failed sign-in (wrong e-mail, wrong password, limited). */
export const SIGN_IN_REFUSED = "Invalid e-mail or password. After several failed attempts, sign-in pauses for a while.";

/** No failed sign-in answers sooner than this (a bcrypt check at the Auth server plus a round trip). */
export const SIGN_IN_FAILURE_FLOOR_MS = 700;

export interface SignInAttempt {
  /** Normalized (trimmed, lower-case) e-mail address. */
  email: string;
  password: string;
  /** The client's address from the trusted proxy (clientAddress), or null when unknown. */
  clientAddress: string | null;
}

/** Checks a password at the Auth server: true when it signed the user in, false when refused. */
export type PasswordCheck = (email: string, password: string) => Promise<boolean>;

export type SignInResult = { ok: true } | { ok: false; message: string };

/** Sign in through checkPassword unless a limit is reached; see the module comment. */
export async function signInWithLimits(attempt: SignInAttempt, checkPassword: PasswordCheck): Promise<SignInResult> {
  const started = Date.now();
  const slots: Array<[RateLimitName, string]> = [
    ["auth", attempt.email],
    ["authHourly", attempt.email],
  ];
  if (attempt.clientAddress) slots.push(["authAddress", attempt.clientAddress]);

  const waits = await Promise.all(slots.map(([name, subject]) => takeRateLimitSlot(name, subject)));
  const limited = waits.some((w) => w > 0);
  if (!limited && (await checkPassword(attempt.email, attempt.password))) {
    await Promise.all(slots.map(([name, subject]) => refundRateLimitSlot(name, subject)));
    return { ok: true };
  }
  const jitter = Math.floor(Math.random() * 100);
  const remaining = SIGN_IN_FAILURE_FLOOR_MS + jitter - (Date.now() - started);
  if (remaining > 0) await new Promise((r) => setTimeout(r, remaining));
  return { ok: false, message: SIGN_IN_REFUSED };
}
